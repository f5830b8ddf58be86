-- street_monthly: the counts behind the metrics per street and calendar month.
-- Feeds sparklines, rank history and trends; rates are computed in dashboard/metrics.py.
-- params: $start, $end   DATE, inclusive (callers pass whole months)
--         $categories, $subs  VARCHAR[] (empty = all)
-- returns: month (first day), street_code, tickets, valid, contacted, resolved, sat_full, sat_basic
SELECT
    CAST(date_trunc('month', day) AS DATE) AS month,
    street_code,
    sum(tickets)::BIGINT AS tickets, sum(valid)::BIGINT AS valid, sum(contacted)::BIGINT AS contacted,
    sum(resolved)::BIGINT AS resolved, sum(sat_full)::BIGINT AS sat_full, sum(sat_basic)::BIGINT AS sat_basic
FROM daily
WHERE day BETWEEN $start AND $end
  AND picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY ALL
ORDER BY month, street_code
