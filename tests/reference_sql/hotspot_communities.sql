-- hotspot_communities: communities ranked by tickets per 1,000 residents in the window.
-- Per-capita, so a big community is not a hotspot just for being big.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
--         $min_population INTEGER: smaller communities are left out (their rates swing wildly)
-- returns: community_id, community, street_code, street, population, tickets, per_1k, valid,
--          contacted, resolved, sat_full, sat_basic, top_category
WITH t AS (
    SELECT community_id, category_l1, callback_valid, contacted, resolved, satisfaction
    FROM tickets
    WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
      AND community_id IS NOT NULL
      AND picked($streets::VARCHAR[], street_code)
      AND picked($communities::VARCHAR[], community_id)
      AND picked($categories::VARCHAR[], category_l1)
      AND picked($subs::VARCHAR[], category_l2)
)
SELECT
    c.community_id, c.name_zh AS community, c.street_code, s.name_zh AS street, c.population,
    count(*)                                                       AS tickets,
    round(1000.0 * count(*) / c.population, 2)                     AS per_1k,
    count(*) FILTER (WHERE callback_valid)                         AS valid,
    count(*) FILTER (WHERE callback_valid AND contacted)           AS contacted,
    count(*) FILTER (WHERE callback_valid AND resolved)            AS resolved,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')     AS sat_full,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意') AS sat_basic,
    mode(t.category_l1)                                            AS top_category
FROM t
JOIN communities c USING (community_id)
JOIN streets s ON s.street_code = c.street_code
WHERE c.population >= $min_population
GROUP BY c.community_id, c.name_zh, c.street_code, s.name_zh, c.population
ORDER BY per_1k DESC, tickets DESC
