-- community_month_panel: one row per community × month, outcomes and inputs side by side, for the
-- association estimate (成效评估).  Whole months from `start`'s month to `end`'s month.
-- params: $start, $end DATE (the months of the window)
-- returns: community_id, street_code, month (first day), population, tickets, valid, resolved,
--          sat_full, sat_basic, active_pairing (0/1: a pairing running on the month's last day),
--          projects_done, meetings, whistles (counts in the month and community)
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM range(date_trunc('month', $start::DATE), date_trunc('month', $end::DATE) + INTERVAL 1 MONTH,
               INTERVAL 1 MONTH) t(m)
),
grid AS (
    SELECT c.community_id, c.street_code, c.population, m.month FROM communities c CROSS JOIN months m
),
outcomes AS (
    SELECT community_id, month, sum(tickets) AS tickets, sum(valid) AS valid, sum(resolved) AS resolved,
           sum(sat_full) AS sat_full, sum(sat_basic) AS sat_basic
    FROM community_monthly
    WHERE month BETWEEN date_trunc('month', $start::DATE) AND $end
    GROUP BY ALL
),
pairing AS (
    SELECT g.community_id, g.month, count(p.pairing_id) > 0 AS active
    FROM grid g JOIN pairings p ON p.community_id = g.community_id
     AND p.started_on <= last_day(g.month) AND (p.ended_on IS NULL OR p.ended_on >= last_day(g.month))
    GROUP BY ALL
),
projects AS (
    SELECT community_id, CAST(date_trunc('month', done_on) AS DATE) AS month, count(*) AS n
    FROM cobuild_projects WHERE status = '完成' AND community_id IS NOT NULL GROUP BY ALL
),
meets AS (
    SELECT community_id, CAST(date_trunc('month', held_on) AS DATE) AS month, count(*) AS n
    FROM deliberations WHERE community_id IS NOT NULL GROUP BY ALL
),
whist AS (
    SELECT community_id, CAST(date_trunc('month', whistled_at) AS DATE) AS month, count(*) AS n
    FROM whistles WHERE community_id IS NOT NULL GROUP BY ALL
)
SELECT g.community_id, g.street_code, g.month, g.population,
       coalesce(o.tickets, 0)::BIGINT AS tickets, coalesce(o.valid, 0)::BIGINT AS valid,
       coalesce(o.resolved, 0)::BIGINT AS resolved, coalesce(o.sat_full, 0)::BIGINT AS sat_full,
       coalesce(o.sat_basic, 0)::BIGINT AS sat_basic,
       coalesce(pa.active, false)::INTEGER AS active_pairing,
       coalesce(pr.n, 0)::BIGINT AS projects_done, coalesce(me.n, 0)::BIGINT AS meetings,
       coalesce(wh.n, 0)::BIGINT AS whistles
FROM grid g
LEFT JOIN outcomes o ON o.community_id = g.community_id AND o.month = g.month
LEFT JOIN pairing pa ON pa.community_id = g.community_id AND pa.month = g.month
LEFT JOIN projects pr ON pr.community_id = g.community_id AND pr.month = g.month
LEFT JOIN meets me ON me.community_id = g.community_id AND me.month = g.month
LEFT JOIN whist wh ON wh.community_id = g.community_id AND wh.month = g.month
ORDER BY g.community_id, g.month
