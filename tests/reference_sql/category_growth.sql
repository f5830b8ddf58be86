-- category_growth: tickets per category in the window and in the comparison window.
-- "What moved": leaders look at the categories that grew most against the previous period.
-- params: $start, $end, $prev_start, $prev_end   DATE, inclusive windows
--         $streets     VARCHAR[] street codes (empty = all)
--         $categories, $subs  VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
--         $level       INTEGER 1 = level-1 categories, 2 = level 2
-- returns: category, parent (level-1 name), tickets, prev_tickets
SELECT
    CASE WHEN $level = 2 THEN category_l2 ELSE category_l1 END                AS category,
    any_value(category_l1)                                                    AS parent,
    coalesce(sum(tickets) FILTER (WHERE day BETWEEN $start AND $end), 0)::BIGINT AS tickets,
    coalesce(sum(tickets) FILTER (WHERE day BETWEEN $prev_start AND $prev_end), 0)::BIGINT AS prev_tickets
FROM (SELECT CAST(created_at AS DATE) AS day, street_code, community_id, category_l1, category_l2, 1 AS tickets
      FROM tickets)
WHERE (day BETWEEN $start AND $end OR day BETWEEN $prev_start AND $prev_end)
  AND picked($streets::VARCHAR[], street_code)
  AND picked($communities::VARCHAR[], community_id)
  AND picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY 1
ORDER BY tickets DESC
