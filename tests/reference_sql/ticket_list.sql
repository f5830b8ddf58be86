-- ticket_list: the tickets of the filtered view, newest first, as staff read them.
-- No caller key or personal data is selected: the list is for follow-up, not for identifying people.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
--         $limit INTEGER maximum rows
-- returns: 工单编号, 创建时间, 街道, 社区, 一级分类, 二级分类, 渠道, 办理时限, 办结时间, 有效回访,
--          是否联系, 是否解决, 满意度, 是否超期, 主要内容
SELECT
    t.ticket_id                     AS 工单编号,
    t.created_at                    AS 创建时间,
    s.name_zh                       AS 街道,
    c.name_zh                       AS 社区,
    t.category_l1                   AS 一级分类,
    t.category_l2                   AS 二级分类,
    t.channel                       AS 渠道,
    t.due_at                        AS 办理时限,
    t.closed_at                     AS 办结时间,
    t.callback_valid                AS 有效回访,
    t.contacted                     AS 是否联系,
    t.resolved                      AS 是否解决,
    t.satisfaction                  AS 满意度,
    coalesce(t.closed_at > t.due_at, t.due_at < (SELECT max(created_at) FROM tickets)) AS 是否超期,
    t.content                       AS 主要内容
FROM tickets t
JOIN streets s ON s.street_code = t.street_code
LEFT JOIN communities c ON c.community_id = t.community_id
WHERE t.created_at >= $start AND t.created_at < $end + INTERVAL 1 DAY
  AND picked($streets::VARCHAR[], t.street_code)
  AND picked($communities::VARCHAR[], t.community_id)
  AND picked($categories::VARCHAR[], t.category_l1)
  AND picked($subs::VARCHAR[], t.category_l2)
ORDER BY t.created_at DESC, t.ticket_id
LIMIT $limit
