-- data_health: row count, date range and one gap count per table of the snapshot, for the
-- 数据管理 page.  The gap is the thing most worth watching in that table (tickets with no
-- community, facilities outside every circle, ...); the page shows it next to its label.
-- params: none
-- returns: table_name, rows, first_day, last_day (NULL where the table has no dates),
--          gaps, gap_label
-- tickets from the health_months rollup (built at publish time), so no load scans every ticket
SELECT 'tickets' AS table_name, sum(tickets)::BIGINT AS rows,
       (SELECT min(created_at)::DATE FROM tickets) AS first_day, (SELECT max(created_at)::DATE FROM tickets) AS last_day,
       sum(no_community)::BIGINT AS gaps, '未匹配社区的工单' AS gap_label
FROM health_months
UNION ALL
SELECT 'streets', count(*), NULL, NULL,
       count(*) FILTER (WHERE boundary_kind <> 'imported'), '示意边界（未导入真实边界）的街道'
FROM streets
UNION ALL
SELECT 'communities', count(*), NULL, NULL,
       count(*) FILTER (WHERE population IS NULL OR population = 0), '人口为空或为0的社区'
FROM communities
UNION ALL
SELECT 'circles', count(*), min(launched_on), max(launched_on),
       count(*) FILTER (WHERE launched_on IS NULL), '建成日期不详的生活圈'
FROM circles
UNION ALL
SELECT 'facilities', count(*), min(opened_on), max(opened_on),
       count(*) FILTER (WHERE circle_id IS NULL), '不属于任何生活圈的设施'
FROM facilities
-- the party-building layer: one gap each that would mislead its metrics
UNION ALL
SELECT 'party_orgs', count(*), min(set_up_on), max(set_up_on),
       count(*) FILTER (WHERE street_code IS NULL AND level <> '区' AND unit_id IS NULL), '未归属街道或单位的党组织'
FROM party_orgs
UNION ALL
SELECT 'units', count(*), NULL, NULL, count(*) FILTER (WHERE kind IS NULL), '类型不详的单位'
FROM units
UNION ALL
SELECT 'pairings', count(*), min(started_on), max(started_on),
       count(*) FILTER (WHERE pairing_id NOT IN (SELECT pairing_id FROM pairing_activities)), '从未登记活动的结对'
FROM pairings
UNION ALL
SELECT 'pairing_activities', count(*), min(quarter_start), max(quarter_start),
       count(*) FILTER (WHERE activities = 0), '活动为0的季度记录'
FROM pairing_activities
UNION ALL
SELECT 'cobuild_projects', count(*), min(planned_end), max(planned_end),
       count(*) FILTER (WHERE status = '完成' AND rating IS NULL), '已完成但未评价的项目'
FROM cobuild_projects
UNION ALL
SELECT 'whistles', count(*), min(whistled_at)::DATE, max(whistled_at)::DATE,
       count(*) FILTER (WHERE whistle_id NOT IN (SELECT whistle_id FROM whistle_responses)), '没有报到记录的吹哨'
FROM whistles
UNION ALL
SELECT 'whistle_responses', count(*), min(due_at)::DATE, max(due_at)::DATE,
       count(*) FILTER (WHERE due_at IS NULL), '未记录应报到时间（按设置的时限计）'
FROM whistle_responses
UNION ALL
SELECT 'action_items', count(*), min(due_on), max(due_on),
       count(*) FILTER (WHERE category_l1 IS NULL), '未对应12345类别的事项'
FROM action_items
UNION ALL
SELECT 'deliberations', count(*), min(held_on), max(held_on),
       count(*) FILTER (WHERE outcome <> '未通过' AND item_id IS NULL), '达成共识但未形成项目的议事'
FROM deliberations
