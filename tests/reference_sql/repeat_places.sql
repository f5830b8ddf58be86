-- repeat_places: places (a ~100 m cell) with ≥ 3 tickets of the same subcategory inside 30 days.
-- Different callers about the same spot are a problem waiting for proactive work (主动治理).
-- Reads the publish-time rollup, like repeat_callers.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
-- returns: lat, lon, category_l2, category_l1, tickets, max_in_30d, callers, street, community,
--          first_at, last_at, total (places in the view)
SELECT
    cell_lat AS lat, cell_lon AS lon, r.category_l2, any_value(r.category_l1) AS category_l1,
    count(*) AS tickets, max(in_30d) AS max_in_30d, count(DISTINCT caller_key) AS callers,
    any_value(s.name_zh) AS street, mode(c.name_zh) AS community,
    min(created_at) AS first_at, max(created_at) AS last_at,
    count(*) OVER () AS total
FROM repeat_places r
JOIN streets s ON s.street_code = r.street_code
LEFT JOIN communities c ON c.community_id = r.community_id
WHERE r.created_at >= $start AND r.created_at < $end + INTERVAL 1 DAY
  AND picked($streets::VARCHAR[], r.street_code)
  AND picked($communities::VARCHAR[], r.community_id)
  AND picked($categories::VARCHAR[], r.category_l1)
  AND picked($subs::VARCHAR[], r.category_l2)
GROUP BY cell_lat, cell_lon, r.category_l2
HAVING max(in_30d) >= 3
ORDER BY max_in_30d DESC, tickets DESC, lat, lon, category_l2
LIMIT 200
