-- rollup_health_months: tickets per month with the counts that reveal a bad or partial export
-- (a month missing, callbacks not yet recorded, communities or points not matched).
-- Built once at publish time (dashboard/store/rollups.py): the data-health page reads 36 rows
-- instead of scanning every ticket on each load.
-- params: none
-- returns: month (first day, DATE), tickets, valid, no_community, no_point, still_open
--          (months with no ticket at all are absent; the page fills them in as gaps)
SELECT
    date_trunc('month', created_at)::DATE               AS month,
    count(*)                                             AS tickets,
    count(*) FILTER (WHERE callback_valid)               AS valid,
    count(*) FILTER (WHERE community_id IS NULL)         AS no_community,
    count(*) FILTER (WHERE lat IS NULL OR lon IS NULL)   AS no_point,
    count(*) FILTER (WHERE closed_at IS NULL)            AS still_open
FROM tickets
GROUP BY ALL
ORDER BY month
