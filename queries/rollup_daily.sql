-- rollup_daily: the counts behind every rate, per day × street × category (l1, l2).
-- Built once at publish time (dashboard/rollups.py) over the snapshot's tickets;
-- overview, trend and ranking queries read this instead of millions of tickets.
-- The counts are defined once, in the ticket_counts macro (_ticket_macros.sql); here they are
-- summed over the communities of each street.
-- params: none
-- returns: day, street_code, category_l1, category_l2, tickets, valid, contacted,
--          resolved, sat_full, sat_basic, closed, overdue
SELECT
    day, street_code, category_l1, category_l2,
    sum(tickets)::BIGINT AS tickets, sum(valid)::BIGINT AS valid, sum(contacted)::BIGINT AS contacted,
    sum(resolved)::BIGINT AS resolved, sum(sat_full)::BIGINT AS sat_full, sum(sat_basic)::BIGINT AS sat_basic,
    sum(closed)::BIGINT AS closed, sum(overdue)::BIGINT AS overdue
FROM ticket_counts((SELECT min(created_at)::DATE FROM tickets), (SELECT max(created_at)::DATE FROM tickets),
                   []::VARCHAR[])
GROUP BY ALL
-- sorted by day so date-window filters prune row groups
ORDER BY day, street_code, category_l1, category_l2
