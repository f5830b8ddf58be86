-- circle_service_monthly: livelihood-service (生活服务) tickets per community and calendar month,
-- for the before/after (difference-in-differences) comparison around each circle's launch.
-- The page passes the 生活服务 categories as $categories/$subs (see circle_service_tickets).
-- Whole months come from the community_monthly rollup (community_counts_between, _macros.sql), not tickets.
-- params: $start, $end DATE inclusive (the whole data range); $categories, $subs VARCHAR[] (empty = all)
-- returns: community_id, month (DATE, first day), tickets
SELECT community_id, CAST(date_trunc('month', day) AS DATE) AS month, sum(tickets)::BIGINT AS tickets
FROM community_counts_between($start::DATE, $end::DATE, []::VARCHAR[])
WHERE picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY ALL
ORDER BY community_id, month
