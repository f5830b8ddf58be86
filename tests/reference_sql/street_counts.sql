-- street_counts: the counts behind the metrics for every street, over one time window.
-- Ranking needs all streets, so there is no street filter here; pages pick rows afterwards.
-- params: $start, $end   DATE, inclusive window
--         $categories   VARCHAR[] level-1 categories (empty = all)
--         $subs         VARCHAR[] level-2 categories (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
-- returns: street_code, name_zh, short_zh, population, area_km2, tickets, valid, contacted,
--          resolved, sat_full, sat_basic, closed, overdue (one row per street, zeros if none)
SELECT
    s.street_code, s.name_zh, s.short_zh, s.population, s.area_km2,
    coalesce(sum(d.tickets), 0)::BIGINT   AS tickets,
    coalesce(sum(d.valid), 0)::BIGINT     AS valid,
    coalesce(sum(d.contacted), 0)::BIGINT AS contacted,
    coalesce(sum(d.resolved), 0)::BIGINT  AS resolved,
    coalesce(sum(d.sat_full), 0)::BIGINT  AS sat_full,
    coalesce(sum(d.sat_basic), 0)::BIGINT AS sat_basic,
    coalesce(sum(d.closed), 0)::BIGINT    AS closed,
    coalesce(sum(d.overdue), 0)::BIGINT   AS overdue
FROM streets s
-- a LEFT JOIN keeps streets with no matching ticket, so they show as zero, not vanish
-- (the reference counts each ticket itself, so the community filter needs no rollup)
LEFT JOIN (
    SELECT CAST(created_at AS DATE) AS day, street_code, community_id, category_l1, category_l2,
           1 AS tickets, callback_valid::INT AS valid, (callback_valid AND contacted)::INT AS contacted,
           (callback_valid AND resolved)::INT AS resolved,
           (callback_valid AND satisfaction = '满意')::INT AS sat_full,
           (callback_valid AND satisfaction = '基本满意')::INT AS sat_basic,
           (closed_at IS NOT NULL)::INT AS closed,
           coalesce(closed_at > due_at, due_at < (SELECT max(created_at) FROM tickets))::INT AS overdue
    FROM tickets) d
       ON d.street_code = s.street_code
      AND d.day BETWEEN $start AND $end
      AND picked($communities::VARCHAR[], d.community_id)
      AND picked($categories::VARCHAR[], d.category_l1)
      AND picked($subs::VARCHAR[], d.category_l2)
GROUP BY ALL
ORDER BY s.street_code
