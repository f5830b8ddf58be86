-- action_items: the 为民实事 / 重点提升事项 / 一号工程 / 每月一题 items planned for the window's
-- year(s), one row per item, with where each stands on the window's last day.
-- params: $start, $end DATE window (its years choose the items); $streets VARCHAR[] (empty = all);
--         $programs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: item_id, title_zh, program, category, category_l1, street_code, community, source,
--          planned_year, due_on, status, done_on, state (已完成 | 按期推进 | 逾期未完成 | 已取消),
--          done (by the window's end), on_time, late (reported 未完成, or past due and not done)
SELECT i.item_id, i.title_zh, i.program, i.category, i.category_l1, i.street_code, c.name_zh AS community,
       i.source, i.planned_year, i.due_on, i.status, i.done_on,
       CASE WHEN i.status = '取消' THEN '已取消'
            WHEN i.status = '完成' AND i.done_on <= $end THEN '已完成'
            WHEN i.status = '未完成' OR i.due_on < $end THEN '逾期未完成'
            ELSE '按期推进' END AS state,
       (i.status = '完成' AND i.done_on <= $end) AS done,
       (i.status = '完成' AND i.done_on <= $end AND i.done_on <= i.due_on) AS on_time,
       (i.status = '未完成' OR (i.status NOT IN ('完成', '取消') AND i.due_on < $end)) AS late
FROM action_items i
LEFT JOIN communities c ON c.community_id = i.community_id
WHERE i.planned_year BETWEEN year($start) AND year($end)
  AND picked($streets::VARCHAR[], i.street_code)
  AND picked($communities::VARCHAR[], i.community_id)
  AND picked($programs::VARCHAR[], i.program)
ORDER BY i.due_on, i.item_id
