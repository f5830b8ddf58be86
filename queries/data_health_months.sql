-- data_health_months: tickets per month with the counts that reveal a bad or partial export
-- (a month missing, callbacks not yet recorded, communities or points not matched).
-- Read from the health_months rollup (rollup_health_months.sql defines the counts).
-- params: none
-- returns: month (first day, DATE), tickets, valid, no_community, no_point, still_open
--          (months with no ticket at all are absent; the page fills them in as gaps)
SELECT month, tickets, valid, no_community, no_point, still_open
FROM health_months
ORDER BY month
