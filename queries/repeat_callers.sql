-- repeat_callers: callers (keyed hash, never a phone number) with ≥ 3 tickets inside 30 days.
-- These are 未诉先办 candidates: the same person keeps calling, so the problem is not solved.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
-- returns: caller (first 8 hex of the key), tickets, max_in_30d, first_at, last_at, street,
--          community, top_category, top_subcategory, unresolved
WITH t AS (
    SELECT t.*,
        -- tickets by the same caller in the 30 days up to and including this one
        count(*) OVER (PARTITION BY caller_key ORDER BY created_at
                       RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30d
    FROM tickets t
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND caller_key IS NOT NULL
      AND picked($streets::VARCHAR[], street_code)
      AND picked($categories::VARCHAR[], category_l1)
      AND picked($subs::VARCHAR[], category_l2)
)
SELECT
    left(caller_key, 8)                               AS caller,
    count(*)                                          AS tickets,
    max(in_30d)                                       AS max_in_30d,
    min(created_at)                                   AS first_at,
    max(created_at)                                   AS last_at,
    any_value(s.name_zh)                              AS street,
    mode(c.name_zh)                                   AS community,
    mode(category_l1)                                 AS top_category,
    mode(category_l2)                                 AS top_subcategory,
    count(*) FILTER (WHERE callback_valid AND NOT resolved) AS unresolved
FROM t
JOIN streets s ON s.street_code = t.street_code
LEFT JOIN communities c ON c.community_id = t.community_id
GROUP BY caller_key
HAVING max(in_30d) >= 3
ORDER BY max_in_30d DESC, tickets DESC, caller
LIMIT 200
