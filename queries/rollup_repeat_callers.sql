-- rollup_repeat_callers: the tickets of callers who, at some point, called ≥ 3 times within 30 days.
-- Built once at publish time: the 30-day window function over every ticket is the slow part,
-- so pages only filter this small table by time, street and category.
-- params: none
-- returns: ticket_id, created_at, street_code, community_id, category_l1, category_l2,
--          callback_valid, resolved, caller_key, in_30d (this caller's tickets in the 30 days up to this one)
WITH w AS (
    SELECT ticket_id, created_at, street_code, community_id, category_l1, category_l2,
           callback_valid, resolved, caller_key,
           count(*) OVER (PARTITION BY caller_key ORDER BY created_at
                          RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30d
    FROM tickets
    WHERE caller_key IS NOT NULL
)
SELECT *
FROM w
QUALIFY max(in_30d) OVER (PARTITION BY caller_key) >= 3
ORDER BY created_at
