-- community_weekly: tickets per week of the (community, level-1 category) pairs asked — the before/after
-- estimates of 成效评估 (views/effects.py) need only the pairs of the actions estimated (their own and
-- their comparison communities' are among them).  One row per pair and week with tickets, all integers:
-- the pair is its position in the lists asked, so hundreds of thousands of rows come back as three
-- numeric columns (lists per pair, ordered inside, cost ~4× more to aggregate; strings per row, to convert).
-- params: $communities, $categories VARCHAR[] (the pairs, zipped: same length); $start, $end DATE (the
--         Mondays of the first and last weeks)
-- returns: pair INTEGER (0-based position in $communities/$categories), week_index INTEGER (weeks since
--          $start), tickets INTEGER (of that week; weeks without tickets have no row); in no set order
WITH pairs AS (
    SELECT unnest($communities::VARCHAR[]) AS community_id, unnest($categories::VARCHAR[]) AS category_l1,
           unnest(range(len($communities::VARCHAR[]))) AS pair
)
SELECT CAST(p.pair AS INTEGER) AS pair, CAST((w.week - $start::DATE) // 7 AS INTEGER) AS week_index,
       CAST(w.tickets AS INTEGER) AS tickets
FROM community_weekly w
JOIN pairs p USING (community_id, category_l1)
WHERE w.week >= $start::DATE AND w.week <= $end::DATE
