-- handling_times: response and closing times against the 12345 time limits, per limit class.
-- Reads the publish-time `handling` rollup (limit class and durations already worked out; sorted by
-- street, so a street or community reads only that street's rows).  Two ways, one chosen by the
-- parameters (a constant, so the other is dropped before anything is read):
--  * a filtered view, or a window without a whole month: quantile_cont over its tickets in `handling`;
--  * no street, community or category filter and at least one whole month (the page's default year):
--    whole months come from `handling_months` (how many tickets took each number of minutes, built at
--    publish time) and only the days of a partial first or last month from `handling`; the quantiles
--    are taken from that histogram as quantile_cont takes them from the values: position (n − 1)·q,
--    lo·(1 − d) + hi·d between the two values around it (DuckDB's build may fuse that multiply-add, so
--    the last bit of a p90 can differ: 1e-16 of an hour).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: limit_hours, tickets, closed, open, overdue, on_time_share,
--          contact_p50_h, contact_p90_h, close_p50_h, close_p90_h
-- The class's name (紧急 2小时 …) comes from dashboard/core/limits.py, where the limits are defined.
WITH direct AS (   -- every ticket of the view, one by one
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
    WHERE NOT (unfiltered($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[], $communities::VARCHAR[])
               AND has_whole_month($start, $end))
      AND created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY limit_hours
), edges AS (      -- the histogram way: the days of a partial first or last month, one by one
    SELECT limit_hours, contact_min, close_min, on_time, overdue
    FROM handling
    WHERE unfiltered($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[], $communities::VARCHAR[])
      AND has_whole_month($start, $end)
      -- each range also as a test of the parameters alone, so an empty one is dropped before it is read
      -- (the file is sorted by street: every street's row group around a month edge would be opened)
      AND ((first_full_month($start) > $start AND created_at >= $start AND created_at < first_full_month($start))
           OR (last_full_day($end) < $end
               AND created_at >= last_full_day($end) + INTERVAL 1 DAY AND created_at < $end + INTERVAL 1 DAY))
), parts AS (
    SELECT limit_hours, measure, minutes, tickets, on_time, overdue
    FROM handling_months
    WHERE unfiltered($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[], $communities::VARCHAR[])
      AND month >= $start AND last_day(month) <= $end
    UNION ALL
    SELECT limit_hours, 'close', close_min, count(*), count(*) FILTER (WHERE on_time), count(*) FILTER (WHERE overdue)
    FROM edges
    GROUP BY ALL
    UNION ALL
    SELECT limit_hours, 'contact', contact_min, count(*), 0, 0
    FROM edges
    GROUP BY ALL
), hist AS (
    SELECT limit_hours, measure, minutes, sum(tickets) AS n, sum(on_time) AS on_time, sum(overdue) AS overdue
    FROM parts
    GROUP BY ALL
), classes AS (
    SELECT
        limit_hours,
        sum(n)::BIGINT                                                 AS tickets,
        coalesce(sum(n) FILTER (WHERE minutes IS NOT NULL), 0)::BIGINT AS closed,
        coalesce(sum(n) FILTER (WHERE minutes IS NULL), 0)::BIGINT     AS open,
        sum(overdue)::BIGINT                                           AS overdue,
        sum(on_time) / nullif(sum(n) FILTER (WHERE minutes IS NOT NULL), 0) AS on_time_share
    FROM hist
    WHERE measure = 'close'
    GROUP BY limit_hours
), runs AS (      -- each value's place in the sorted values: the ranks (from 0) below `upto`
    SELECT limit_hours, measure, minutes,
           sum(n) OVER (PARTITION BY limit_hours, measure ORDER BY minutes ROWS UNBOUNDED PRECEDING) AS upto,
           sum(n) OVER (PARTITION BY limit_hours, measure) AS count
    FROM hist
    WHERE minutes IS NOT NULL AND n > 0
), positions AS (
    SELECT DISTINCT limit_hours, measure, q, (count - 1)::DOUBLE * q AS pos
    FROM runs, (VALUES (0.5::DOUBLE), (0.9::DOUBLE)) qs(q)
), quantiles AS (  -- the values at ranks floor(pos) and ceil(pos), interpolated as quantile_cont does
    SELECT p.limit_hours, p.measure, p.q,
           min(r.minutes) FILTER (WHERE r.upto > floor(p.pos))::DOUBLE AS lo,
           min(r.minutes) FILTER (WHERE r.upto > ceil(p.pos))::DOUBLE  AS hi,
           any_value(p.pos - floor(p.pos))                             AS frac
    FROM positions p
    JOIN runs r USING (limit_hours, measure)
    GROUP BY ALL
), hours AS (
    SELECT limit_hours,
           max(h) FILTER (WHERE measure = 'contact' AND q = 0.5) AS contact_p50_h,
           max(h) FILTER (WHERE measure = 'contact' AND q = 0.9) AS contact_p90_h,
           max(h) FILTER (WHERE measure = 'close' AND q = 0.5)   AS close_p50_h,
           max(h) FILTER (WHERE measure = 'close' AND q = 0.9)   AS close_p90_h
    FROM (SELECT limit_hours, measure, q, (lo * (1 - frac) + hi * frac) / 60.0 AS h FROM quantiles)
    GROUP BY limit_hours
)
SELECT
    CAST(limit_hours AS INTEGER) AS limit_hours, tickets, closed, open, overdue, on_time_share,
    contact_q[1] / 60.0 AS contact_p50_h, contact_q[2] / 60.0 AS contact_p90_h,
    close_q[1] / 60.0 AS close_p50_h, close_q[2] / 60.0 AS close_p90_h
FROM direct
UNION ALL
SELECT
    CAST(limit_hours AS INTEGER), tickets, closed, open, overdue, on_time_share,
    contact_p50_h, contact_p90_h, close_p50_h, close_p90_h
FROM classes
LEFT JOIN hours USING (limit_hours)
ORDER BY limit_hours
