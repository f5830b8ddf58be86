-- category_growth: tickets per category in the window and in the comparison window.
-- "What moved": leaders look at the categories that grew most against the previous period.
-- params: $start, $end, $prev_start, $prev_end   DATE, inclusive windows
--         $streets     VARCHAR[] street codes (empty = all)
--         $categories, $subs  VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
--         $level       INTEGER 1 = level-1 categories, 2 = level 2
-- returns: category, parent (level-1 name), tickets, prev_tickets
WITH w AS (   -- both windows from the rollups (or the chosen communities' tickets; _macros.sql)
    SELECT true AS cur, * FROM counts_in($start, $end, $communities::VARCHAR[])
    UNION ALL
    SELECT false AS cur, * FROM counts_in($prev_start, $prev_end, $communities::VARCHAR[])
)
SELECT
    CASE WHEN $level = 2 THEN category_l2 ELSE category_l1 END                AS category,
    any_value(category_l1)                                                    AS parent,
    coalesce(sum(tickets) FILTER (WHERE cur), 0)::BIGINT                      AS tickets,
    coalesce(sum(tickets) FILTER (WHERE NOT cur), 0)::BIGINT                  AS prev_tickets
FROM w
WHERE in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
            street_code, category_l1, category_l2)
GROUP BY 1
ORDER BY tickets DESC
