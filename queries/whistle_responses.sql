-- whistle_responses: one whistle's 报到, unit by unit (the drill from the register).
-- params: $whistle_id VARCHAR; $horizon TIMESTAMP; $report_minutes INTEGER
-- returns: response_id, unit, kind, unit_level, due, reported_at, minutes (whistle to report),
--          state (按时 | 迟报 | 未报到 | 未到时限), done, rating
SELECT r.response_id, u.name_zh AS unit, u.kind, r.unit_level,
       coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) AS due, r.reported_at,
       date_diff('minute', w.whistled_at, r.reported_at) AS minutes,
       CASE WHEN r.reported_at IS NULL AND coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) >= $horizon
                THEN '未到时限'
            WHEN r.reported_at IS NULL THEN '未报到'
            WHEN r.reported_at <= coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) THEN '按时'
            ELSE '迟报' END AS state,
       r.done, r.rating
FROM whistle_responses r
JOIN whistles w USING (whistle_id)
LEFT JOIN units u USING (unit_id)
WHERE r.whistle_id = $whistle_id
ORDER BY due, r.response_id
