-- effect_actions: the completed actions whose effect on complaints can be estimated: action items
-- done (with a start and a hotline category) and whistles closed, each with its community and
-- level-1 category.  Projects carry no hotline category, so they are not matched to tickets.
-- params: $streets, $categories VARCHAR[] (level-1; empty = all); $programs VARCHAR[] (empty = all;
--         '吹哨' for whistles)
-- returns: action_id, program, community_id, street_code, category_l1, start, done
SELECT item_id AS action_id, program, community_id, street_code, category_l1,
       started_on AS start, done_on AS done
FROM action_items
WHERE status = '完成' AND started_on IS NOT NULL AND done_on IS NOT NULL
  AND community_id IS NOT NULL AND category_l1 IS NOT NULL
  AND picked($streets::VARCHAR[], street_code) AND picked($programs::VARCHAR[], program)
  AND picked($categories::VARCHAR[], category_l1)
UNION ALL
SELECT whistle_id, '吹哨', community_id, street_code, category_l1,
       CAST(whistled_at AS DATE), CAST(closed_at AS DATE)
FROM whistles
WHERE closed_at IS NOT NULL AND community_id IS NOT NULL
  AND picked($streets::VARCHAR[], street_code) AND picked($programs::VARCHAR[], '吹哨')
  AND picked($categories::VARCHAR[], category_l1)
ORDER BY start, action_id
