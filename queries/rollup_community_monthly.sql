-- rollup_community_monthly: the counts behind the rates per calendar month × community × category.
-- Built once at publish time (dashboard/rollups.py) from the ticket_counts macro (_ticket_macros.sql,
-- where each count is defined).  hotspot_communities and the 社区 filter (counts_in, _macros.sql)
-- read whole months here and only the days of a partial first or last month from tickets.
-- params: none
-- returns: month (first day, DATE), street_code, community_id, category_l1, category_l2, tickets,
--          valid, contacted, resolved, sat_full, sat_basic, closed, overdue
SELECT
    CAST(date_trunc('month', day) AS DATE) AS month, street_code, community_id, category_l1, category_l2,
    sum(tickets)::BIGINT AS tickets, sum(valid)::BIGINT AS valid, sum(contacted)::BIGINT AS contacted,
    sum(resolved)::BIGINT AS resolved, sum(sat_full)::BIGINT AS sat_full, sum(sat_basic)::BIGINT AS sat_basic,
    sum(closed)::BIGINT AS closed, sum(overdue)::BIGINT AS overdue
FROM ticket_counts((SELECT min(created_at)::DATE FROM tickets), (SELECT max(created_at)::DATE FROM tickets),
                   []::VARCHAR[])
WHERE community_id IS NOT NULL
GROUP BY ALL
ORDER BY month, street_code, community_id, category_l1, category_l2
