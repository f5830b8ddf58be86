-- repeat_callers: callers (keyed hash, never a phone number) with ≥ 3 tickets inside 30 days.
-- These are 未诉先办 candidates: the same person keeps calling, so the problem is not solved.
-- Reads the publish-time rollup (the 30-day counts span the whole history, so a run of calls
-- that began before the window still counts).
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: caller (first 8 hex of the key), tickets, max_in_30d, first_at, last_at, street,
--          community, top_category, top_subcategory, unresolved, total (callers in the view)
-- Two steps, like repeat_places: the cheap per-caller figures pick the 200 shown; street,
-- community and the commonest categories are then worked out for those 200 only.
WITH callers AS (
    SELECT caller_key, count(*) AS tickets, max(in_30d) AS max_in_30d,
           min(created_at) AS first_at, max(created_at) AS last_at,
           count(*) FILTER (WHERE callback_valid AND NOT resolved) AS unresolved,
           count(*) OVER () AS total
    FROM repeat_callers
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND street_code IN (SELECT street_code FROM streets)
      AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY caller_key
    HAVING max(in_30d) >= 3
    ORDER BY max_in_30d DESC, tickets DESC, left(caller_key, 8), caller_key
    LIMIT 200
)
SELECT
    left(k.caller_key, 8)                                AS caller,
    k.tickets, k.max_in_30d, k.first_at, k.last_at,
    any_value(s.name_zh)                                 AS street,
    mode(c.name_zh)                                      AS community,
    mode(r.category_l1)                                  AS top_category,
    mode(r.category_l2)                                  AS top_subcategory,
    k.unresolved, k.total
FROM callers k
JOIN repeat_callers r ON r.caller_key = k.caller_key
JOIN streets s ON s.street_code = r.street_code
LEFT JOIN communities c ON c.community_id = r.community_id
WHERE r.created_at >= $start AND r.created_at < $end + INTERVAL 1 DAY
  AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
              r.street_code, r.category_l1, r.category_l2)
  AND picked($communities::VARCHAR[], r.community_id)
GROUP BY k.caller_key, k.tickets, k.max_in_30d, k.first_at, k.last_at, k.unresolved, k.total
ORDER BY k.max_in_30d DESC, k.tickets DESC, caller, k.caller_key
