-- deliberation_funnel: 议事 → 立项 → 办结 per platform and street over the window's sessions.
-- 立项 = the session led to an action item; 办结 = that item was done by the window's end.
-- params: $start, $end DATE window; $streets VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: platform, street_code, meetings, attendees, agreed (完全/部分赞同), to_item, item_done
SELECT d.platform, d.street_code, count(*)::BIGINT AS meetings, coalesce(sum(d.attendees), 0)::BIGINT AS attendees,
       count(*) FILTER (WHERE d.outcome IN ('完全赞同', '部分赞同'))::BIGINT AS agreed,
       count(d.item_id)::BIGINT AS to_item,
       count(*) FILTER (WHERE i.status = '完成' AND i.done_on <= $end)::BIGINT AS item_done
FROM deliberations d
LEFT JOIN action_items i USING (item_id)
WHERE d.held_on BETWEEN $start AND $end
  AND picked($streets::VARCHAR[], d.street_code)
  AND picked($communities::VARCHAR[], d.community_id)
GROUP BY d.platform, d.street_code
ORDER BY d.platform, d.street_code
