-- whistle_list: the whistles raised in the window, newest first, with how their 报到 stand.
-- A response is overdue when it was never reported and its due time (its own, else the whistle's
-- time + the limit) has passed by the data's horizon.
-- params: $start, $end DATE window; $streets VARCHAR[] (empty = all); $horizon TIMESTAMP;
--         $report_minutes INTEGER; $open_only BOOLEAN (only whistles not yet closed); $limit INTEGER
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: whistle_id, street_code, community, level, trigger, source, category_l1, category_l2,
--          whistled_at, closed_at, hours (to close, or open so far), responses, reported,
--          overdue_responses, rating, total (rows before the limit)
WITH resp AS (
    SELECT r.whistle_id, count(*) AS responses, count(r.reported_at) AS reported,
           count(*) FILTER (WHERE r.reported_at IS NULL
                              AND coalesce(r.due_at, w.whistled_at + to_minutes($report_minutes::BIGINT)) < $horizon)
               AS overdue_responses
    FROM whistle_responses r JOIN whistles w USING (whistle_id)
    GROUP BY r.whistle_id
)
SELECT w.whistle_id, w.street_code, c.name_zh AS community, w.level, w.trigger, w.source,
       w.category_l1, w.category_l2, w.whistled_at, w.closed_at,
       date_diff('minute', w.whistled_at, coalesce(w.closed_at, $horizon)) / 60.0 AS hours,
       coalesce(resp.responses, 0)::BIGINT AS responses, coalesce(resp.reported, 0)::BIGINT AS reported,
       coalesce(resp.overdue_responses, 0)::BIGINT AS overdue_responses, w.rating,
       count(*) OVER () AS total
FROM whistles w
LEFT JOIN resp USING (whistle_id)
LEFT JOIN communities c ON c.community_id = w.community_id
WHERE w.whistled_at >= $start AND w.whistled_at < $end + INTERVAL 1 DAY
  AND picked($streets::VARCHAR[], w.street_code)
  AND picked($communities::VARCHAR[], w.community_id)
  AND (NOT $open_only OR w.closed_at IS NULL)
ORDER BY w.whistled_at DESC, w.whistle_id
LIMIT $limit
