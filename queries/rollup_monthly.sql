-- rollup_monthly: the daily rollup's counts summed per calendar month × street × category (l1, l2).
-- Built once at publish time from `daily` (dashboard/rollups.py).  A window of whole months reads
-- one row per month here instead of one per day (see counts_between in _macros.sql): ~30× fewer rows.
-- params: none
-- returns: month (first day, DATE), street_code, category_l1, category_l2, tickets, valid, contacted,
--          resolved, sat_full, sat_basic, closed, overdue
SELECT
    CAST(date_trunc('month', day) AS DATE)  AS month,
    street_code,
    category_l1,
    category_l2,
    sum(tickets)::BIGINT   AS tickets,
    sum(valid)::BIGINT     AS valid,
    sum(contacted)::BIGINT AS contacted,
    sum(resolved)::BIGINT  AS resolved,
    sum(sat_full)::BIGINT  AS sat_full,
    sum(sat_basic)::BIGINT AS sat_basic,
    sum(closed)::BIGINT    AS closed,
    sum(overdue)::BIGINT   AS overdue
FROM daily
GROUP BY ALL
ORDER BY month, street_code, category_l1, category_l2
