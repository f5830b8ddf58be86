-- handling_times: response and closing times against the 12345 time limits, per limit class.
-- Reads the publish-time `handling` rollup (limit class and durations already worked out).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: limit_hours, tickets, closed, open, overdue, on_time_share,
--          contact_p50_h, contact_p90_h, close_p50_h, close_p90_h
-- The class's name (紧急 2小时 …) comes from dashboard/core/limits.py, where the limits are defined.
WITH classes AS (
    SELECT
        limit_hours,
        count(*)                                                   AS tickets,
        count(close_min)                                           AS closed,
        count(*) - count(close_min)                                AS open,
        count(*) FILTER (WHERE overdue)                            AS overdue,
        count(*) FILTER (WHERE on_time) / nullif(count(close_min), 0) AS on_time_share,
        -- both quantiles in one call: one sort per column
        quantile_cont(contact_min, [0.5, 0.9])                     AS contact_q,
        quantile_cont(close_min, [0.5, 0.9])                       AS close_q
    FROM handling
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY limit_hours
)
SELECT
    CAST(limit_hours AS INTEGER) AS limit_hours, tickets, closed, open, overdue, on_time_share,
    contact_q[1] / 60.0 AS contact_p50_h, contact_q[2] / 60.0 AS contact_p90_h,
    close_q[1] / 60.0 AS close_p50_h, close_q[2] / 60.0 AS close_p90_h
FROM classes
ORDER BY limit_hours
