-- rollup_community_month: the counts behind every rate per month × community × category l1.
-- Built once at publish time; hotspot and street-profile community tables read it.
-- params: none
-- returns: month (first day), street_code, community_id, category_l1, tickets, valid,
--          contacted, resolved, sat_full, sat_basic
SELECT
    CAST(date_trunc('month', created_at) AS DATE)                    AS month,
    street_code,
    community_id,
    category_l1,
    count(*)                                                         AS tickets,
    count(*) FILTER (WHERE callback_valid)                           AS valid,
    count(*) FILTER (WHERE callback_valid AND contacted)             AS contacted,
    count(*) FILTER (WHERE callback_valid AND resolved)              AS resolved,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')     AS sat_full,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意') AS sat_basic
FROM tickets
-- tickets without a community still count for their street; they group under NULL
GROUP BY ALL
ORDER BY month, street_code, community_id, category_l1
