-- pairing_communities: every community with its 结对共建 on the window's last day, for the map.
-- params: $end DATE (the window's last day); $quarter_start DATE (its quarter); $streets VARCHAR[]
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: community_id, name_zh, street_code, lat, lon, population, pairs (running pairings),
--          active_pairs (with ≥ 1 activity this quarter), activities (this quarter, all its pairs)
WITH running AS (
    SELECT p.community_id, p.pairing_id, coalesce(a.activities, 0) AS activities
    FROM pairings p
    LEFT JOIN pairing_activities a ON a.pairing_id = p.pairing_id AND a.quarter_start = $quarter_start
    WHERE p.started_on <= $end AND (p.ended_on IS NULL OR p.ended_on >= $end)
)
SELECT c.community_id, c.name_zh, c.street_code, c.lat, c.lon, c.population,
       count(r.pairing_id)::BIGINT AS pairs,
       count(r.pairing_id) FILTER (WHERE r.activities > 0)::BIGINT AS active_pairs,
       coalesce(sum(r.activities), 0)::BIGINT AS activities
FROM communities c
LEFT JOIN running r USING (community_id)
WHERE picked($streets::VARCHAR[], c.street_code)
  AND picked($communities::VARCHAR[], c.community_id)
GROUP BY ALL
ORDER BY c.street_code, c.community_id
