-- party_street_metrics: the counts behind the party-building metrics, per street and for the district.
-- One row per street and one district row (street_code NULL, from GROUPING SETS, so the district's
-- median is a true median and its counts include district-level bodies without a street).
-- The ticket category filter does not apply here: projects, pairings and meetings have no hotline category.
-- params: $start, $end        DATE, the window (inclusive)
--         $horizon            TIMESTAMP, the first moment after the data: a response due later is not yet due
--         $report_minutes     INTEGER, the 报到 limit for a response recorded without its due time
--         $quarter_start      DATE, the first day of the quarter the window ends in (结对活跃率)
-- returns: street_code (NULL in the district's row), orgs, members, committees, whistles, whistles_closed, close_hours_p50,
--          responses_due, responses_on_time, projects_due, projects_on_time, projects_rated,
--          projects_satisfied, communities, communities_paired, pairs_active, pairs_with_activity,
--          items_planned, items_done, items_on_time, meetings, meetings_to_item, proactive,
--          proactive_base, tickets
WITH
keys AS (SELECT street_code, 0 AS total FROM streets UNION ALL SELECT NULL, 1),   -- total = 1: the district
org AS (   -- organisations alive on the window's last day (committees counted apart)
    SELECT street_code, grouping(street_code) AS total,
           count(*) FILTER (WHERE kind <> '党建协调委员会')                        AS orgs,
           coalesce(sum(members) FILTER (WHERE kind <> '党建协调委员会'), 0)       AS members,
           count(*) FILTER (WHERE kind = '党建协调委员会')                          AS committees
    FROM party_orgs
    WHERE set_up_on <= $end AND (closed_on IS NULL OR closed_on > $end)
    GROUP BY GROUPING SETS ((street_code), ())
),
wh AS (    -- whistles raised in the window
    SELECT street_code, grouping(street_code) AS total, count(*) AS whistles, count(closed_at) AS whistles_closed,
           median(date_diff('minute', whistled_at, closed_at) / 60.0) AS close_hours_p50,
           count(*) FILTER (WHERE source <> '12345') AS whistles_proactive
    FROM whistles
    WHERE whistled_at >= $start AND whistled_at < $end + INTERVAL 1 DAY
    GROUP BY GROUPING SETS ((street_code), ())
),
due AS (   -- each response with its due time: its own, else the whistle's time + the limit
    SELECT w.street_code, r.reported_at,
           coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) AS due
    FROM whistle_responses r JOIN whistles w USING (whistle_id)
),
resp AS (  -- responses due in the window; unreported ones not yet due are left out (not late yet)
    SELECT street_code, grouping(street_code) AS total, count(*) AS responses_due,
           count(*) FILTER (WHERE reported_at <= due) AS responses_on_time
    FROM due
    WHERE due >= $start AND due < $end + INTERVAL 1 DAY AND (reported_at IS NOT NULL OR due < $horizon)
    GROUP BY GROUPING SETS ((street_code), ())
),
proj AS (  -- projects due in the window (cancelled ones are not due); ratings of those done in it
    SELECT street_code, grouping(street_code) AS total,
           count(*) FILTER (WHERE planned_end BETWEEN $start AND $end AND status <> '取消')  AS projects_due,
           count(*) FILTER (WHERE planned_end BETWEEN $start AND $end AND status = '完成'
                              AND done_on <= planned_end)                                   AS projects_on_time,
           count(*) FILTER (WHERE done_on BETWEEN $start AND $end AND rating IS NOT NULL)   AS projects_rated,
           count(*) FILTER (WHERE done_on BETWEEN $start AND $end AND rating = '满意')      AS projects_satisfied
    FROM cobuild_projects
    GROUP BY GROUPING SETS ((street_code), ())
),
active AS (  -- pairings running on the window's last day, with their activities this quarter
    SELECT p.street_code, p.community_id, p.pairing_id, coalesce(a.activities, 0) AS activities
    FROM pairings p
    LEFT JOIN pairing_activities a ON a.pairing_id = p.pairing_id AND a.quarter_start = $quarter_start
    WHERE p.started_on <= $end AND (p.ended_on IS NULL OR p.ended_on >= $end)
),
pair AS (
    SELECT street_code, grouping(street_code) AS total, count(DISTINCT community_id) AS communities_paired, count(*) AS pairs_active,
           count(*) FILTER (WHERE activities > 0) AS pairs_with_activity
    FROM active
    GROUP BY GROUPING SETS ((street_code), ())
),
comm AS (
    SELECT street_code, grouping(street_code) AS total, count(*) AS communities FROM communities GROUP BY GROUPING SETS ((street_code), ())
),
item AS (  -- items planned for the window's year(s), cancelled ones left out; done = done by the window's end
    SELECT street_code, grouping(street_code) AS total, count(*) AS items_planned,
           count(*) FILTER (WHERE status = '完成' AND done_on <= $end) AS items_done,
           count(*) FILTER (WHERE status = '完成' AND done_on <= $end AND done_on <= due_on) AS items_on_time,
           count(*) FILTER (WHERE source <> '12345') AS items_proactive
    FROM action_items
    WHERE planned_year BETWEEN year($start) AND year($end) AND status <> '取消'
    GROUP BY GROUPING SETS ((street_code), ())
),
meet AS (
    SELECT street_code, grouping(street_code) AS total, count(*) AS meetings, count(item_id) AS meetings_to_item
    FROM deliberations
    WHERE held_on BETWEEN $start AND $end
    GROUP BY GROUPING SETS ((street_code), ())
),
tick AS (  -- tickets in the window, for 吹哨强度 (whistles per 1,000 tickets)
    SELECT street_code, grouping(street_code) AS total, sum(tickets) AS tickets FROM counts_between($start, $end)
    GROUP BY GROUPING SETS ((street_code), ())
)
SELECT
    k.street_code,
    coalesce(org.orgs, 0)::BIGINT AS orgs, coalesce(org.members, 0)::BIGINT AS members,
    coalesce(org.committees, 0)::BIGINT AS committees,
    coalesce(wh.whistles, 0)::BIGINT AS whistles, coalesce(wh.whistles_closed, 0)::BIGINT AS whistles_closed,
    wh.close_hours_p50,
    coalesce(resp.responses_due, 0)::BIGINT AS responses_due,
    coalesce(resp.responses_on_time, 0)::BIGINT AS responses_on_time,
    coalesce(proj.projects_due, 0)::BIGINT AS projects_due, coalesce(proj.projects_on_time, 0)::BIGINT AS projects_on_time,
    coalesce(proj.projects_rated, 0)::BIGINT AS projects_rated,
    coalesce(proj.projects_satisfied, 0)::BIGINT AS projects_satisfied,
    coalesce(comm.communities, 0)::BIGINT AS communities, coalesce(pair.communities_paired, 0)::BIGINT AS communities_paired,
    coalesce(pair.pairs_active, 0)::BIGINT AS pairs_active, coalesce(pair.pairs_with_activity, 0)::BIGINT AS pairs_with_activity,
    coalesce(item.items_planned, 0)::BIGINT AS items_planned, coalesce(item.items_done, 0)::BIGINT AS items_done,
    coalesce(item.items_on_time, 0)::BIGINT AS items_on_time,
    coalesce(meet.meetings, 0)::BIGINT AS meetings, coalesce(meet.meetings_to_item, 0)::BIGINT AS meetings_to_item,
    (coalesce(wh.whistles_proactive, 0) + coalesce(item.items_proactive, 0))::BIGINT AS proactive,
    (coalesce(wh.whistles, 0) + coalesce(item.items_planned, 0))::BIGINT AS proactive_base,
    coalesce(tick.tickets, 0)::BIGINT AS tickets
FROM keys k
-- IS NOT DISTINCT FROM and `total` pair the district row; bodies without a street (区委, 区级部门)
-- count in the district's row only
LEFT JOIN org  ON org.street_code IS NOT DISTINCT FROM k.street_code AND org.total = k.total
LEFT JOIN wh   ON wh.street_code IS NOT DISTINCT FROM k.street_code AND wh.total = k.total
LEFT JOIN resp ON resp.street_code IS NOT DISTINCT FROM k.street_code AND resp.total = k.total
LEFT JOIN proj ON proj.street_code IS NOT DISTINCT FROM k.street_code AND proj.total = k.total
LEFT JOIN pair ON pair.street_code IS NOT DISTINCT FROM k.street_code AND pair.total = k.total
LEFT JOIN comm ON comm.street_code IS NOT DISTINCT FROM k.street_code AND comm.total = k.total
LEFT JOIN item ON item.street_code IS NOT DISTINCT FROM k.street_code AND item.total = k.total
LEFT JOIN meet ON meet.street_code IS NOT DISTINCT FROM k.street_code AND meet.total = k.total
LEFT JOIN tick ON tick.street_code IS NOT DISTINCT FROM k.street_code AND tick.total = k.total
ORDER BY k.total, k.street_code
