-- waiting_leads: the 未诉先办 leads of the window not (yet) followed up — 未跟进 and 跟进期内 — oldest
-- first, the first $limit of them: the rows of leads.sql whose state is not 已跟进, in its order.
-- params: $start, $end DATE window (when the lead arose); $streets VARCHAR[] (empty = all);
--         $followup_days INTEGER; $horizon TIMESTAMP (the first moment after the data)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter); $limit INTEGER rows
-- returns: the columns of leads.sql
SELECT *
FROM lead_rows($start, $end, $streets::VARCHAR[], $communities::VARCHAR[], $followup_days::BIGINT, $horizon)
WHERE state <> '已跟进'
ORDER BY lead_at, lead_id
LIMIT $limit
