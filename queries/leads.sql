-- leads: 未诉先办 leads — repeat places (same ~100 m spot, same subcategory) and repeat callers, each
-- from the moment it reached ≥ 3 tickets within 30 days — and whether an action item or a whistle in
-- the same community and level-1 category followed within $followup_days days.
-- One row per lead that became one inside the window.
-- params: $start, $end DATE window (when the lead arose); $streets VARCHAR[] (empty = all);
--         $followup_days INTEGER; $horizon TIMESTAMP (the first moment after the data)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: lead_id, kind (同一地点 | 重复来电), street_code, community_id, community, category_l1,
--          category_l2, lead_at, tickets (of the lead, all time), followed_at (first action), action_kind
--          (实事项目 | 吹哨 | NULL), state (已跟进 | 未跟进 | 跟进期内)
WITH picked AS (
    -- lead_list (a rollup, see rollup_lead_list.sql) holds every lead with the moment it arose
    SELECT * FROM lead_list
    WHERE lead_at >= $start AND lead_at < $end + INTERVAL 1 DAY
      AND picked($streets::VARCHAR[], street_code)
      AND picked($communities::VARCHAR[], community_id)
),
actions AS (   -- what counts as acting: an item started, or a whistle blown, in the community and category
    SELECT community_id, category_l1, CAST(started_on AS TIMESTAMP) AS at, '实事项目' AS action_kind
    FROM action_items WHERE started_on IS NOT NULL AND community_id IS NOT NULL
    UNION ALL
    SELECT community_id, category_l1, whistled_at, '吹哨' FROM whistles WHERE community_id IS NOT NULL
),
followed AS (
    SELECT p.lead_id, p.kind, min(a.at) AS followed_at, arg_min(a.action_kind, a.at) AS action_kind
    FROM picked p JOIN actions a
      ON a.community_id = p.community_id AND a.category_l1 = p.category_l1
     AND a.at >= date_trunc('day', p.lead_at) AND a.at < p.lead_at + to_days($followup_days::BIGINT)
    GROUP BY p.lead_id, p.kind
)
SELECT p.lead_id, p.kind, p.street_code, p.community_id, c.name_zh AS community, p.category_l1, p.category_l2,
       p.lead_at, p.tickets, f.followed_at, f.action_kind,
       CASE WHEN f.followed_at IS NOT NULL THEN '已跟进'
            WHEN p.lead_at + to_days($followup_days::BIGINT) > $horizon THEN '跟进期内'
            ELSE '未跟进' END AS state
FROM picked p
LEFT JOIN followed f ON f.lead_id = p.lead_id AND f.kind = p.kind
LEFT JOIN communities c ON c.community_id = p.community_id
ORDER BY p.lead_at, p.lead_id
