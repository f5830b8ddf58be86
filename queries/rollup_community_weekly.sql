-- rollup_community_weekly: tickets per ISO week (Monday) × community × level-1 category.
-- Built once at publish time (dashboard/store/rollups.py) for the before/after estimates of
-- actions (成效评估), which compare k weeks around each item in its community and category.
-- params: none
-- returns: week (Monday, DATE), community_id, category_l1, tickets
SELECT
    CAST(date_trunc('week', created_at) AS DATE) AS week,
    community_id,
    category_l1,
    count(*)::INTEGER                            AS tickets
FROM tickets
WHERE community_id IS NOT NULL
GROUP BY ALL
ORDER BY week, community_id, category_l1
