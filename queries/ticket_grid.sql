-- ticket_grid: tickets counted on a ~100 m grid, for the density layer of the street map.
-- Aggregating here sends a few thousand weighted points to the browser instead of every ticket.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: lat, lon (cell centre, WGS-84), weight (tickets in the cell)
SELECT
    round(lat, 3) AS lat,          -- 0.001° ≈ 111 m north–south, 85 m east–west at 39.9°N
    round(lon, 3) AS lon,
    count(*)      AS weight
FROM tickets
WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
  AND lat IS NOT NULL AND lon IS NOT NULL
  AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
              street_code, category_l1, category_l2)
  AND picked($communities::VARCHAR[], community_id)
GROUP BY ALL
