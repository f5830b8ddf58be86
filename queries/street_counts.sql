-- street_counts: the counts behind the metrics for every street, over one time window.
-- Ranking needs all streets, so there is no street filter here; pages pick rows afterwards.
-- params: $start, $end   DATE, inclusive window
--         $categories   VARCHAR[] level-1 categories (empty = all)
--         $subs         VARCHAR[] level-2 categories (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
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
LEFT JOIN (
    -- whole months from the monthly rollup, the partial ones from daily; with a community filter
    -- that community's tickets (see _macros.sql)
    SELECT * FROM counts_in($start, $end, $communities::VARCHAR[])
    WHERE picked($categories::VARCHAR[], category_l1)
      AND picked($subs::VARCHAR[], category_l2)
) d ON d.street_code = s.street_code
GROUP BY ALL
ORDER BY s.street_code
