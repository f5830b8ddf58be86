-- community_weekly: tickets per week × community × level-1 category, for the categories asked,
-- with every community's population (the before/after estimates of 成效评估 need both).
-- params: $categories VARCHAR[] (level-1 categories; empty = all)
-- returns: week (Monday), community_id, category_l1, tickets
SELECT week, community_id, category_l1, tickets
FROM community_weekly
WHERE picked($categories::VARCHAR[], category_l1)
ORDER BY week, community_id, category_l1
