-- weekday_hour: tickets by ISO weekday (1 = Monday) and hour of creation (reference: every ticket counted).
-- As queries/weekday_hour.sql stood before the weekday_hours rollup (tests/test_fast_queries.py).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: weekday, hour, tickets
SELECT isodow(created_at) AS weekday, hour(created_at) AS hour, count(*) AS tickets
FROM tickets
WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
  AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
              street_code, category_l1, category_l2)
  AND picked($communities::VARCHAR[], community_id)
GROUP BY ALL
ORDER BY weekday, hour
