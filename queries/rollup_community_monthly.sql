-- rollup_community_monthly: the counts behind the rates per calendar month × community × category.
-- Built once at publish time (dashboard/rollups.py); hotspot_communities reads whole months here
-- and only the days of a partial first or last month from tickets.
-- params: none
-- returns: month (first day, DATE), street_code, community_id, category_l1, category_l2, tickets,
--          valid, contacted, resolved, sat_full, sat_basic
SELECT
    CAST(date_trunc('month', created_at) AS DATE)                   AS month,
    street_code,
    community_id,
    category_l1,
    category_l2,
    count(*)                                                         AS tickets,
    count(*) FILTER (WHERE callback_valid)                           AS valid,
    count(*) FILTER (WHERE callback_valid AND contacted)             AS contacted,
    count(*) FILTER (WHERE callback_valid AND resolved)              AS resolved,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')     AS sat_full,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意') AS sat_basic
FROM tickets
WHERE community_id IS NOT NULL
GROUP BY ALL
ORDER BY month, street_code, community_id, category_l1, category_l2
