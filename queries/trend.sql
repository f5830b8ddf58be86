-- trend: the counts behind the metrics per day, week or month, per street.
-- Per street, with no street filter: the views sum the chosen streets' rows (analysis.summed_over_streets),
-- so a street picked in the sidebar reads the district's answer from the result cache instead of running.
-- params: $start, $end DATE inclusive; $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
--         $grain 'day' | 'week' | 'month' (allowlisted by the page; date_trunc takes it as a value)
-- returns: bucket (DATE, first day of the bucket), street_code, tickets, valid, contacted, resolved, sat_full,
--          sat_basic, overdue
SELECT
    CAST(date_trunc($grain, day) AS DATE) AS bucket, street_code,
    sum(tickets)::BIGINT AS tickets, sum(valid)::BIGINT AS valid, sum(contacted)::BIGINT AS contacted,
    sum(resolved)::BIGINT AS resolved, sum(sat_full)::BIGINT AS sat_full, sum(sat_basic)::BIGINT AS sat_basic,
    sum(overdue)::BIGINT AS overdue
FROM (
    -- months: whole months from the monthly rollups (one row dated the 1st), so a year is 12 rows per
    -- street and category, and a community filter reads community_monthly instead of a year of tickets
    SELECT * FROM counts_in($start, $end, $communities::VARCHAR[]) WHERE $grain = 'month'
    UNION ALL
    -- days and weeks need every day: the daily rollup, or the chosen communities' tickets
    SELECT * FROM daily_in($start, $end, $communities::VARCHAR[]) WHERE $grain <> 'month'
)
WHERE picked($categories::VARCHAR[], category_l1) AND picked($subs::VARCHAR[], category_l2)
GROUP BY 1, 2
ORDER BY 1, 2
