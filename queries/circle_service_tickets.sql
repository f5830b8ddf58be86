-- circle_service_tickets: livelihood-service (生活服务) tickets per community in the window.
-- The page passes the 生活服务 categories (dashboard/circles.py SERVICE_L1/SERVICE_L2, intersected
-- with the shared category filter) as $categories/$subs; tickets with no community are left out.
-- Whole months come from the community_monthly rollup (community_counts_between, _macros.sql), not tickets.
-- params: $start, $end DATE inclusive; $categories, $subs VARCHAR[] (empty = all)
-- returns: community_id, tickets
SELECT community_id, sum(tickets)::BIGINT AS tickets
FROM community_counts_between($start::DATE, $end::DATE, []::VARCHAR[])
WHERE picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY community_id
ORDER BY community_id
