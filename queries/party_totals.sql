-- party_totals: the district's party-building totals on one day, to set against the published figures
-- (dashboard/core/reference/party_figures.csv: same keys).
-- params: $as_of DATE, the day the totals describe (the window's last day)
-- returns: key, value (one row per published figure)
WITH alive AS (
    SELECT * FROM party_orgs WHERE set_up_on <= $as_of AND (closed_on IS NULL OR closed_on > $as_of)
),
running AS (
    SELECT * FROM pairings WHERE started_on <= $as_of AND (ended_on IS NULL OR ended_on >= $as_of)
)
SELECT 'orgs' AS key, count(*)::BIGINT AS value FROM alive WHERE kind <> '党建协调委员会'
UNION ALL SELECT 'members', coalesce(sum(members), 0)::BIGINT FROM alive WHERE kind <> '党建协调委员会'
UNION ALL SELECT 'project_branches', count(*)::BIGINT FROM alive WHERE kind = '项目党支部'
UNION ALL SELECT 'committees', count(*)::BIGINT FROM alive WHERE kind = '党建协调委员会'
-- 驻区单位: the stationed units, not the district's departments and the streets' own 科站队所
UNION ALL SELECT 'units', count(*)::BIGINT FROM units WHERE kind NOT IN ('区级部门', '街道科站队所')
-- the project list is a year's: the projects planned to start in the year of $as_of
UNION ALL SELECT 'projects', count(*)::BIGINT FROM cobuild_projects WHERE year(planned_start) = year($as_of)
-- pairings are counted by branch: one branch may pair with more than one community
UNION ALL SELECT 'pairings', count(DISTINCT org_id)::BIGINT FROM running
-- the communities paired so far (结对覆盖率 on the pages counts the pairings still running)
UNION ALL SELECT 'communities_paired', count(DISTINCT community_id)::BIGINT FROM pairings WHERE started_on <= $as_of
UNION ALL SELECT 'wsss_done', count(*)::BIGINT FROM action_items
          WHERE program = '为民实事' AND status = '完成' AND done_on <= $as_of
-- 重点提升事项 identified, whatever became of them
UNION ALL SELECT 'key_items', count(*)::BIGINT FROM action_items WHERE program = '重点提升事项'
