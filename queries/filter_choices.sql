-- filter_choices: the level-1 / level-2 categories the snapshot holds, for the sidebar.
-- params: none
-- returns: category_l1, category_l2, tickets (level 1 by total volume, so common ones come first)
WITH pairs AS (
    SELECT category_l1, category_l2, sum(tickets)::BIGINT AS tickets
    FROM daily
    GROUP BY ALL
)
SELECT category_l1, category_l2, tickets
FROM pairs
ORDER BY sum(tickets) OVER (PARTITION BY category_l1) DESC, category_l1, tickets DESC, category_l2
