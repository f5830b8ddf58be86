-- rollup_handling_months: how many tickets took each number of minutes, per month and time-limit class
-- (a histogram of the `handling` rollup, no street, community or category).  Built at publish time
-- (dashboard/store/rollups.py) so that 办理时效 with no filter reads ~30k rows per month instead of
-- every ticket: an exact quantile needs only how many tickets had each value (handling_times.sql).
-- Each ticket is counted twice: once by its contact time, once by its closing time (measure).
-- params: none
-- returns: month (first day, DATE), limit_hours, measure ('contact' | 'close'), minutes (null: not yet),
--          tickets, on_time, overdue (on_time and overdue on the 'close' rows only, 0 on 'contact')
SELECT date_trunc('month', created_at)::DATE AS month, limit_hours, 'close' AS measure, close_min AS minutes,
       count(*) AS tickets, count(*) FILTER (WHERE on_time) AS on_time, count(*) FILTER (WHERE overdue) AS overdue
FROM handling
GROUP BY ALL
UNION ALL
SELECT date_trunc('month', created_at)::DATE, limit_hours, 'contact', contact_min, count(*), 0, 0
FROM handling
GROUP BY ALL
-- sorted by month so a window prunes row groups
ORDER BY month, limit_hours, measure, minutes
