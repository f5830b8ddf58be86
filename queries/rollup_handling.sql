-- rollup_handling: every ticket's time limit and handling durations, narrow and pre-computed.
-- Quantiles of handling times need every ticket (no count rollup can hold them exactly), so this
-- keeps just what handling_times reads — small integers instead of four timestamps — sorted by
-- street, then created_at, so a street (or a community) reads only that street's row groups and a
-- time window prunes within each street.
-- params: none
-- returns: created_at, street_code, community_id, category_l1, category_l2, limit_hours (2 | 24 | 168 | 360),
--          contact_min, close_min (minutes from creation; null if not yet), on_time, overdue
WITH horizon AS (
    -- open tickets are judged against the snapshot's last ticket, not the wall clock
    SELECT max(created_at) AS as_of FROM tickets
)
SELECT
    created_at, street_code, community_id, category_l1, category_l2,
    -- the 12345 time-limit classes (Beijing standard [S]): 2 h, 24 h, 7 days, 15 days
    CAST(CASE WHEN date_diff('minute', created_at, due_at) <= 120 THEN 2
              WHEN date_diff('minute', created_at, due_at) <= 1440 THEN 24
              WHEN date_diff('minute', created_at, due_at) <= 10080 THEN 168
              ELSE 360 END AS SMALLINT)                             AS limit_hours,
    CAST(date_diff('minute', created_at, contacted_at) AS INTEGER)  AS contact_min,
    CAST(date_diff('minute', created_at, closed_at) AS INTEGER)     AS close_min,
    closed_at <= due_at                                             AS on_time,
    closed_at > due_at OR (closed_at IS NULL AND due_at < (SELECT as_of FROM horizon)) AS overdue
FROM tickets
ORDER BY street_code, created_at
