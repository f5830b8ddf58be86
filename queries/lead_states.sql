-- lead_states: how many 未诉先办 leads arose in the window, by state — the counts behind 线索转化率
-- (leads.sql lists the same leads; both read the lead_rows macro, _macros.sql).
-- params: $start, $end DATE window (when the lead arose); $streets VARCHAR[] (empty = all);
--         $followup_days INTEGER; $horizon TIMESTAMP (the first moment after the data)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: one row — acted (已跟进), not_acted (未跟进), pending (跟进期内)
SELECT count(*) FILTER (WHERE state = '已跟进')   AS acted,
       count(*) FILTER (WHERE state = '未跟进')   AS not_acted,
       count(*) FILTER (WHERE state = '跟进期内') AS pending
FROM lead_rows($start, $end, $streets::VARCHAR[], $communities::VARCHAR[], $followup_days::BIGINT, $horizon)
