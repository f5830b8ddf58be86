-- rollup_repeat_callers: the tickets of callers who, at some point, called ≥ 3 times within 30 days.
-- Built once at publish time: 30-day windows over every ticket are the slow part, so pages only
-- filter this small table by time, street and category.
-- Cheap test first: a ticket is the 3rd within 30 days exactly when the caller's ticket two
-- before it is at most 30 days older (a lag, not a range count); only callers that pass get
-- the (costlier) running 30-day count.
-- params: none
-- returns: ticket_id, created_at, street_code, community_id, category_l1, category_l2,
--          callback_valid, resolved, caller_key, in_30d (this caller's tickets in the 30 days up to this one)
WITH third AS (
    SELECT ticket_id, created_at, street_code, community_id, category_l1, category_l2,
           callback_valid, resolved, caller_key,
           coalesce(created_at - lag(created_at, 2) OVER w <= INTERVAL 30 DAYS, false) AS third_in_30d
    FROM tickets
    WHERE caller_key IS NOT NULL
    WINDOW w AS (PARTITION BY caller_key ORDER BY created_at)
), flagged AS (
    SELECT * EXCLUDE (third_in_30d) FROM third
    QUALIFY bool_or(third_in_30d) OVER (PARTITION BY caller_key)
)
SELECT *,
       count(*) OVER (PARTITION BY caller_key ORDER BY created_at
                      RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30d
FROM flagged
-- sorted by street, then time: a street reads its own row groups, a window prunes within them
ORDER BY street_code, created_at
