-- topic_items: the items filed under one 每月一题 topic, with where each stands on the data's last day.
-- params: $topic_id VARCHAR; $as_of DATE
-- returns: item_id, title_zh, street_code, community, category_l1, due_on, status, done_on, done
SELECT i.item_id, i.title_zh, i.street_code, c.name_zh AS community, i.category_l1, i.due_on, i.status, i.done_on,
       (i.status = '完成' AND i.done_on <= $as_of) AS done
FROM action_items i
LEFT JOIN communities c ON c.community_id = i.community_id
WHERE i.topic_id = $topic_id
ORDER BY i.street_code, i.item_id
