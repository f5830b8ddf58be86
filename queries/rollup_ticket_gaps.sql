-- rollup_ticket_gaps: per community and level-1 category, the quiet spells between its days with
-- tickets — each pair of consecutive such days at least 2 days apart (last_day, next_day), and the
-- spells before its first day (NULL, first) and after its last (last, NULL).
-- Built once at publish time (dashboard/store/rollups.py) for 真正的未诉先办 (proactive_items.sql): an
-- item started on day d had no ticket of its community and category in the L ≥ 1 days before it
-- exactly when the spell holding d (last_day < d ≤ next_day) began more than L days earlier, or the
-- pair never had a ticket.  Consecutive days 1 apart leave no spell: the day before d had a ticket.
-- ~7 % of the (community, category, day) rows, so the check reads ~0.7M rows instead of tickets.
-- params: none
-- returns: community_id, category_l1, last_day DATE (NULL: before the first), next_day DATE (NULL:
--          after the last)
WITH days AS (
    SELECT DISTINCT community_id, category_l1, CAST(created_at AS DATE) AS day
    FROM tickets
    WHERE community_id IS NOT NULL AND category_l1 IS NOT NULL
),
spells AS (
    SELECT community_id, category_l1,
           lag(day) OVER (PARTITION BY community_id, category_l1 ORDER BY day) AS last_day, day AS next_day
    FROM days
    UNION ALL
    SELECT community_id, category_l1, max(day), NULL FROM days GROUP BY community_id, category_l1
)
SELECT community_id, category_l1, last_day, next_day
FROM spells
WHERE last_day IS NULL OR next_day IS NULL OR next_day - last_day >= 2
ORDER BY community_id, category_l1, last_day NULLS FIRST
