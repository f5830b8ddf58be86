-- handling_times: response and closing times against the 12345 time limits, per limit class.
-- The limit class comes from due_at − created_at (Beijing 12345 standard [S]: emergencies 2 h,
-- water/power/gas/heating 24 h, general 7 days, complex 15 days).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
-- returns: limit_hours, tickets, closed, open, overdue, on_time_share,
--          contact_p50_h, contact_p90_h, close_p50_h, close_p90_h
WITH t AS (
    SELECT *,
        date_diff('minute', created_at, due_at) / 60.0 AS limit_h,
        date_diff('minute', created_at, contacted_at) / 60.0 AS contact_h,
        date_diff('minute', created_at, closed_at) / 60.0 AS close_h
    FROM tickets
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND picked($streets::VARCHAR[], street_code)
      AND picked($communities::VARCHAR[], community_id)
      AND picked($categories::VARCHAR[], category_l1)
      AND picked($subs::VARCHAR[], category_l2)
), horizon AS (
    -- open tickets are judged against the snapshot's last ticket, not the wall clock
    SELECT max(created_at) AS as_of FROM tickets
)
SELECT
    CASE WHEN limit_h <= 2 THEN 2 WHEN limit_h <= 24 THEN 24 WHEN limit_h <= 168 THEN 168 ELSE 360 END AS limit_hours,
    count(*)                                                              AS tickets,
    count(closed_at)                                                      AS closed,
    count(*) - count(closed_at)                                           AS open,
    count(*) FILTER (WHERE closed_at > due_at
                        OR (closed_at IS NULL AND due_at < (SELECT as_of FROM horizon))) AS overdue,
    count(*) FILTER (WHERE closed_at <= due_at) / nullif(count(closed_at), 0) AS on_time_share,
    quantile_cont(contact_h, 0.5)                                         AS contact_p50_h,
    quantile_cont(contact_h, 0.9)                                         AS contact_p90_h,
    quantile_cont(close_h, 0.5)                                           AS close_p50_h,
    quantile_cont(close_h, 0.9)                                           AS close_p90_h
FROM t
GROUP BY 1
ORDER BY limit_hours
