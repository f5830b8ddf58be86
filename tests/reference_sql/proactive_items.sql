-- proactive_items: action items started in the window that no lead and no ticket preceded — no ticket
-- of the same community and level-1 category in the $lookback_days days before the item started
-- (truly 未诉先办).  A lead needs tickets, so "no ticket" also means "no lead".
-- params: $start, $end DATE window (when the item started); $streets VARCHAR[]; $lookback_days INTEGER
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: item_id, title_zh, program, category_l1, street_code, community, source, started_on, status
SELECT i.item_id, i.title_zh, i.program, i.category_l1, i.street_code, c.name_zh AS community, i.source,
       i.started_on, i.status
FROM action_items i
LEFT JOIN communities c ON c.community_id = i.community_id
WHERE i.started_on BETWEEN $start AND $end
  AND i.community_id IS NOT NULL AND i.category_l1 IS NOT NULL
  AND picked($streets::VARCHAR[], i.street_code)
  AND picked($communities::VARCHAR[], i.community_id)
  AND NOT EXISTS (
      SELECT 1 FROM tickets t
      WHERE t.community_id = i.community_id AND t.category_l1 = i.category_l1
        AND t.created_at >= i.started_on - to_days($lookback_days::BIGINT) AND t.created_at < i.started_on)
ORDER BY i.started_on, i.item_id
