-- community_weekly: tickets per week of the (community, level-1 category) pairs asked, one row per pair
-- with its weeks as lists — the before/after estimates of 成效评估 (views/effects.py) need only the pairs
-- of the actions estimated (their own and their comparison communities' are among them), and a row per
-- pair keeps the answer to thousands of rows instead of one per week (the result cache keeps it).
-- params: $communities, $categories VARCHAR[] (the pairs, zipped: same length); $start, $end DATE (the
--         Mondays of the first and last weeks)
-- returns: community_id, category_l1, week_index INTEGER[] (weeks since $start, ascending; only weeks
--          with tickets), tickets INTEGER[] (of those weeks)
WITH pairs AS (
    SELECT DISTINCT unnest($communities::VARCHAR[]) AS community_id, unnest($categories::VARCHAR[]) AS category_l1
)
SELECT community_id, category_l1,
       list(CAST((week - $start::DATE) // 7 AS INTEGER) ORDER BY week) AS week_index,
       list(tickets ORDER BY week) AS tickets
FROM community_weekly
SEMI JOIN pairs USING (community_id, category_l1)
WHERE week >= $start::DATE AND week <= $end::DATE
GROUP BY community_id, category_l1
ORDER BY community_id, category_l1
