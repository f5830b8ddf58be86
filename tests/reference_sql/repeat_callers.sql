-- repeat_callers: callers (keyed hash, never a phone number) with ≥ 3 tickets inside 30 days.
-- These are 未诉先办 candidates: the same person keeps calling, so the problem is not solved.
-- Reads the publish-time rollup (the 30-day counts span the whole history, so a run of calls
-- that began before the window still counts).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
-- returns: caller (first 8 hex of the key), tickets, max_in_30d, first_at, last_at, street,
--          community, top_category, top_subcategory, unresolved, total (callers in the view)
SELECT
    left(caller_key, 8)                                  AS caller,
    count(*)                                             AS tickets,
    max(in_30d)                                          AS max_in_30d,
    min(created_at)                                      AS first_at,
    max(created_at)                                      AS last_at,
    any_value(s.name_zh)                                 AS street,
    mode(c.name_zh)                                      AS community,
    mode(r.category_l1)                                  AS top_category,
    mode(r.category_l2)                                  AS top_subcategory,
    count(*) FILTER (WHERE callback_valid AND NOT resolved) AS unresolved,
    count(*) OVER ()                                     AS total
FROM repeat_callers r
JOIN streets s ON s.street_code = r.street_code
LEFT JOIN communities c ON c.community_id = r.community_id
WHERE r.created_at >= $start AND r.created_at < $end + INTERVAL 1 DAY
  AND picked($streets::VARCHAR[], r.street_code)
  AND picked($communities::VARCHAR[], r.community_id)
  AND picked($categories::VARCHAR[], r.category_l1)
  AND picked($subs::VARCHAR[], r.category_l2)
GROUP BY caller_key
HAVING max(in_30d) >= 3
ORDER BY max_in_30d DESC, tickets DESC, caller
LIMIT 200
