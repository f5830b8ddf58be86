-- hotspot_communities: communities ranked by tickets per 1,000 residents in the window.
-- Per-capita, so a big community is not a hotspot just for being big.
-- Every street's communities: no street filter here, the pages pick the chosen streets' rows
-- (views/hotline.py, views/profile.py), so a street picked in the sidebar, or a street profile, reads
-- the district's answer from the result cache instead of running again.
-- params: $start, $end DATE inclusive; $categories, $subs VARCHAR[] (empty = all)
--         $min_population INTEGER: smaller communities are left out (their rates swing wildly)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: community_id, community, street_code, street, population, tickets, per_1k, valid,
--          contacted, resolved, sat_full, sat_basic, top_category
-- Whole months come from the community_monthly rollup, the days of a partial first or last month
-- from tickets (two plain time ranges, so the sorted tickets file is read only there); counted per
-- community × level-1 category, then summed per community.  top_category is the level-1 category
-- with most tickets in the community.
WITH parts AS (
    SELECT community_id, category_l1, tickets, valid, contacted, resolved, sat_full, sat_basic
    FROM community_monthly
    WHERE month >= $start AND last_day(month) <= $end
      AND picked($categories::VARCHAR[], category_l1) AND picked($subs::VARCHAR[], category_l2)
      AND picked($communities::VARCHAR[], community_id)
    UNION ALL
    SELECT community_id, category_l1, 1, callback_valid::INT, (callback_valid AND contacted)::INT,
           (callback_valid AND resolved)::INT, (callback_valid AND satisfaction = '满意')::INT,
           (callback_valid AND satisfaction = '基本满意')::INT
    FROM tickets
    WHERE ((created_at >= $start AND created_at < head_end($start, $end, true))
           OR (created_at >= tail_start($start, $end) AND created_at < $end + INTERVAL 1 DAY))
      AND community_id IS NOT NULL
      AND picked($categories::VARCHAR[], category_l1) AND picked($subs::VARCHAR[], category_l2)
      AND picked($communities::VARCHAR[], community_id)
), t AS (
    SELECT community_id, category_l1, sum(tickets) AS tickets, sum(valid) AS valid, sum(contacted) AS contacted,
           sum(resolved) AS resolved, sum(sat_full) AS sat_full, sum(sat_basic) AS sat_basic
    FROM parts
    GROUP BY community_id, category_l1
)
SELECT
    c.community_id, c.name_zh AS community, c.street_code, s.name_zh AS street, c.population,
    sum(t.tickets)::BIGINT                                         AS tickets,
    round(1000.0 * sum(t.tickets) / c.population, 2)               AS per_1k,
    sum(t.valid)::BIGINT                                           AS valid,
    sum(t.contacted)::BIGINT                                       AS contacted,
    sum(t.resolved)::BIGINT                                        AS resolved,
    sum(t.sat_full)::BIGINT                                        AS sat_full,
    sum(t.sat_basic)::BIGINT                                       AS sat_basic,
    arg_max(t.category_l1, t.tickets)                              AS top_category
FROM t
JOIN communities c USING (community_id)
JOIN streets s ON s.street_code = c.street_code
WHERE c.population >= $min_population
GROUP BY c.community_id, c.name_zh, c.street_code, s.name_zh, c.population
ORDER BY per_1k DESC, tickets DESC
