-- circle_service_monthly: livelihood-service (生活服务) tickets per community and calendar month,
-- for the before/after (difference-in-differences) comparison around each circle's launch.
-- The page passes the 生活服务 categories as $categories/$subs (see circle_service_tickets).
-- params: $start, $end DATE inclusive (the whole data range); $categories, $subs VARCHAR[] (empty = all)
-- returns: community_id, month (DATE, first day), tickets
SELECT community_id, CAST(date_trunc('month', created_at) AS DATE) AS month, count(*) AS tickets
FROM tickets
WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
  AND community_id IS NOT NULL
  AND picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY ALL
ORDER BY community_id, month
