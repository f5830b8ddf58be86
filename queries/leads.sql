-- leads: 未诉先办 leads — repeat places (same ~100 m spot, same subcategory) and repeat callers, each
-- from the moment it reached ≥ 3 tickets within 30 days — and whether an action item or a whistle in
-- the same community and level-1 category followed within $followup_days days.
-- One row per lead that became one inside the window (the lead_rows macro, _macros.sql).  The
-- 成效评估 page reads only their counts (lead_states.sql) and the rows still waiting (waiting_leads.sql).
-- params: $start, $end DATE window (when the lead arose); $streets VARCHAR[] (empty = all);
--         $followup_days INTEGER; $horizon TIMESTAMP (the first moment after the data)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: lead_id, kind (同一地点 | 重复来电), street_code, community_id, community, category_l1,
--          category_l2, lead_at, tickets (of the lead, all time), followed_at (first action), action_kind
--          (实事项目 | 吹哨 | NULL), state (已跟进 | 未跟进 | 跟进期内)
SELECT *
FROM lead_rows($start, $end, $streets::VARCHAR[], $communities::VARCHAR[], $followup_days::BIGINT, $horizon)
ORDER BY lead_at, lead_id
