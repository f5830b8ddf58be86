-- category_growth: tickets per category in the window and in the comparison window.
-- "What moved": leaders look at the categories that grew most against the previous period.
-- Per street, with no street filter: the views sum the chosen streets' rows (analysis.summed_over_streets),
-- so a street picked in the sidebar reads the district's answer from the result cache instead of running.
-- params: $start, $end, $prev_start, $prev_end   DATE, inclusive windows
--         $categories, $subs  VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
--         $level       INTEGER 1 = level-1 categories, 2 = level 2
-- returns: category, parent (level-1 name), street_code, tickets, prev_tickets
WITH w AS (   -- both windows from the rollups (or the chosen communities' tickets; _macros.sql)
    SELECT true AS cur, * FROM counts_in($start, $end, $communities::VARCHAR[])
    UNION ALL
    SELECT false AS cur, * FROM counts_in($prev_start, $prev_end, $communities::VARCHAR[])
)
SELECT
    CASE WHEN $level = 2 THEN category_l2 ELSE category_l1 END                AS category,
    any_value(category_l1)                                                    AS parent,
    street_code,
    coalesce(sum(tickets) FILTER (WHERE cur), 0)::BIGINT                      AS tickets,
    coalesce(sum(tickets) FILTER (WHERE NOT cur), 0)::BIGINT                  AS prev_tickets
FROM w
WHERE picked($categories::VARCHAR[], category_l1) AND picked($subs::VARCHAR[], category_l2)
GROUP BY category, street_code
ORDER BY tickets DESC, category, street_code
