-- repeat_places: places (a ~100 m cell) with ≥ 3 tickets of the same subcategory inside 30 days.
-- Different callers about the same spot are a problem waiting for proactive work (主动治理).
-- Reads the publish-time rollup, like repeat_callers.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: lat, lon, category_l2, category_l1, tickets, max_in_30d, callers, street, community,
--          first_at, last_at, total (places in the view)
-- Two steps, for speed at scale: the cheap per-place figures over every place of the view pick
-- the 200 shown (ties broken by place, so the cut is stable); callers, street and community are
-- then worked out for those 200 only.  A place is grouped and ordered by its place_id (one integer,
-- numbered in the order of cell_lat, cell_lon, category_l2), not by the three columns; callers are
-- counted by caller_id (the key's 64 bits as an integer), not by the key's text.
WITH places AS (
    SELECT place_id, count(*) AS tickets, max(in_30d) AS max_in_30d,
           min(created_at) AS first_at, max(created_at) AS last_at, count(*) OVER () AS total
    FROM repeat_places
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND street_code IN (SELECT street_code FROM streets)
      AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY place_id
    HAVING max(in_30d) >= 3
    ORDER BY max_in_30d DESC, tickets DESC, place_id
    LIMIT 200
)
SELECT
    any_value(r.cell_lat) AS lat, any_value(r.cell_lon) AS lon, any_value(r.category_l2) AS category_l2,
    any_value(r.category_l1) AS category_l1, p.tickets, p.max_in_30d, count(DISTINCT r.caller_id) AS callers,
    any_value(s.name_zh) AS street, mode(c.name_zh) AS community,
    p.first_at, p.last_at, p.total
FROM places p
JOIN repeat_places r ON r.place_id = p.place_id
JOIN streets s ON s.street_code = r.street_code
LEFT JOIN communities c ON c.community_id = r.community_id
WHERE r.created_at >= $start AND r.created_at < $end + INTERVAL 1 DAY
  AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
              r.street_code, r.category_l1, r.category_l2)
  AND picked($communities::VARCHAR[], r.community_id)
GROUP BY p.place_id, p.tickets, p.max_in_30d, p.first_at, p.last_at, p.total
ORDER BY p.max_in_30d DESC, p.tickets DESC, p.place_id
