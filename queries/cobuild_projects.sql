-- cobuild_projects: the 共建项目 due in the window (planned end inside it), for the funnel, the
-- overdue list and the per-unit table; one row per project.
-- params: $start, $end DATE window; $streets VARCHAR[] (empty = all); $as_of DATE (the data's last day)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: project_id, title_zh, unit, unit_kind, committee_level, street_code, community, origin,
--          category, planned_start, planned_end, status, done_on, rating, on_time, overdue
--          (not done, not cancelled, planned end before the data's last day), days_late
SELECT p.project_id, p.title_zh, u.name_zh AS unit, u.kind AS unit_kind, p.committee_level, p.street_code,
       c.name_zh AS community, p.origin, p.category, p.planned_start, p.planned_end, p.status, p.done_on,
       p.rating,
       (p.status = '完成' AND p.done_on <= p.planned_end) AS on_time,
       (p.status NOT IN ('完成', '取消') AND p.planned_end < $as_of) AS overdue,
       CASE WHEN p.status = '完成' THEN greatest(date_diff('day', p.planned_end, p.done_on), 0)
            WHEN p.status <> '取消' THEN greatest(date_diff('day', p.planned_end, $as_of), 0) END AS days_late
FROM cobuild_projects p
LEFT JOIN units u USING (unit_id)
LEFT JOIN communities c ON c.community_id = p.community_id
WHERE p.planned_end BETWEEN $start AND $end
  AND picked($streets::VARCHAR[], p.street_code)
  AND picked($communities::VARCHAR[], p.community_id)
ORDER BY p.planned_end, p.project_id
