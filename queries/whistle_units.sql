-- whistle_units: the league table of answering units (三级报到) over responses due in the window.
-- Same rule as party_street_metrics: unreported responses not yet due are left out.
-- params: $start, $end DATE window; $streets VARCHAR[] (the whistling streets; empty = all);
--         $horizon TIMESTAMP; $report_minutes INTEGER
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: unit_id, unit, kind, unit_level, responses_due, responses_on_time, not_reported,
--          report_minutes_p50 (of those reported), done
WITH due AS (
    SELECT r.unit_id, r.unit_level, r.reported_at, r.done,
           coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) AS due, w.whistled_at
    FROM whistle_responses r JOIN whistles w USING (whistle_id)
    WHERE picked($streets::VARCHAR[], w.street_code)
      AND picked($communities::VARCHAR[], w.community_id)
)
SELECT d.unit_id, u.name_zh AS unit, u.kind, any_value(d.unit_level) AS unit_level,
       count(*)::BIGINT AS responses_due,
       count(*) FILTER (WHERE d.reported_at <= d.due)::BIGINT AS responses_on_time,
       count(*) FILTER (WHERE d.reported_at IS NULL)::BIGINT AS not_reported,
       median(date_diff('minute', d.whistled_at, d.reported_at)) AS report_minutes_p50,
       count(*) FILTER (WHERE d.done)::BIGINT AS done
FROM due d
LEFT JOIN units u USING (unit_id)
WHERE d.due >= $start AND d.due < $end + INTERVAL 1 DAY AND (d.reported_at IS NOT NULL OR d.due < $horizon)
GROUP BY d.unit_id, u.name_zh, u.kind
ORDER BY responses_due DESC, d.unit_id
