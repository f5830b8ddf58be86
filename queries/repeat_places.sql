-- repeat_places: places (a ~100 m cell) with ≥ 3 tickets of the same subcategory inside 30 days.
-- Different callers about the same spot are a problem waiting for proactive work (主动治理).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
-- returns: lat, lon, category_l2, category_l1, tickets, max_in_30d, callers, street, community,
--          first_at, last_at
WITH t AS (
    SELECT t.*, round(lat, 3) AS cell_lat, round(lon, 3) AS cell_lon
    FROM tickets t
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND lat IS NOT NULL
      AND picked($streets::VARCHAR[], street_code)
      AND picked($categories::VARCHAR[], category_l1)
      AND picked($subs::VARCHAR[], category_l2)
), w AS (
    SELECT *, count(*) OVER (PARTITION BY cell_lat, cell_lon, category_l2 ORDER BY created_at
                             RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30d
    FROM t
)
SELECT
    cell_lat AS lat, cell_lon AS lon, category_l2, any_value(category_l1) AS category_l1,
    count(*) AS tickets, max(in_30d) AS max_in_30d, count(DISTINCT caller_key) AS callers,
    any_value(s.name_zh) AS street, mode(c.name_zh) AS community,
    min(created_at) AS first_at, max(created_at) AS last_at
FROM w
JOIN streets s ON s.street_code = w.street_code
LEFT JOIN communities c ON c.community_id = w.community_id
GROUP BY cell_lat, cell_lon, category_l2
HAVING max(in_30d) >= 3
ORDER BY max_in_30d DESC, tickets DESC
LIMIT 200
