-- ticket_list: the tickets of the filtered view, newest first, as staff read them.
-- No caller key or personal data is selected: the list is for follow-up, not for identifying people.
-- Only tickets from the day the newest $limit begin are read (found from the daily rollup), so the
-- wide rows (content, ...) of the rest of the window are never decoded.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $limit INTEGER maximum rows
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: 工单编号, 创建时间, 街道, 社区, 一级分类, 二级分类, 渠道, 办理时限, 办结时间, 有效回访,
--          是否联系, 是否解决, 满意度, 是否超期, 主要内容
WITH newest_days AS (
    -- from the daily rollup: the latest day from which on the view holds at least $limit tickets.
    -- Only tickets from that day on can be among the newest $limit, so only they are read.
    SELECT day, sum(sum(tickets)) OVER (ORDER BY day DESC) AS from_here
    FROM daily_in($start, $end, $communities::VARCHAR[])   -- the chosen communities' days (_macros.sql)
    WHERE in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
    GROUP BY day
), cutoff AS (
    SELECT coalesce(max(day) FILTER (WHERE from_here >= $limit), $start) AS first_day FROM newest_days
)
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
WHERE t.created_at >= (SELECT first_day FROM cutoff)
  AND t.created_at >= $start AND t.created_at < $end + INTERVAL 1 DAY
  AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
              t.street_code, t.category_l1, t.category_l2)
  AND picked($communities::VARCHAR[], t.community_id)
ORDER BY t.created_at DESC, t.ticket_id
LIMIT $limit
