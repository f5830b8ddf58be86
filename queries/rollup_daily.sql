-- rollup_daily: the counts behind every rate, per day × street × category (l1, l2).
-- Built once at publish time (dashboard/rollups.py) over the snapshot's tickets;
-- overview, trend and ranking queries read this instead of millions of tickets.
-- params: none
-- returns: day, street_code, category_l1, category_l2, tickets, valid, contacted,
--          resolved, sat_full, sat_basic, closed, overdue
WITH horizon AS (
    -- "now" for a snapshot is the last ticket it holds, so open tickets are judged
    -- overdue against the data, not against the wall clock of whoever reads it.
    SELECT max(created_at) AS as_of FROM tickets
)
SELECT
    CAST(created_at AS DATE)                                         AS day,
    street_code,
    category_l1,
    category_l2,
    count(*)                                                         AS tickets,
    -- the three rates are over valid callbacks only (接诉即办 assessment rule)
    count(*) FILTER (WHERE callback_valid)                           AS valid,
    count(*) FILTER (WHERE callback_valid AND contacted)             AS contacted,
    count(*) FILTER (WHERE callback_valid AND resolved)              AS resolved,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')     AS sat_full,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意') AS sat_basic,
    count(closed_at)                                                 AS closed,
    count(*) FILTER (WHERE closed_at > due_at
                        OR (closed_at IS NULL AND due_at < (SELECT as_of FROM horizon))) AS overdue
FROM tickets
GROUP BY ALL
-- sorted by day so date-window filters prune row groups
ORDER BY day, street_code, category_l1, category_l2
