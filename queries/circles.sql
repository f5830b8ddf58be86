-- circles: the convenience living circles with their street and facility count.
-- params: $streets VARCHAR[] street codes (empty = all)
-- returns: circle_id, name_zh, street_code, street_name, center_lat, center_lon, walk_minutes,
--          launched_on, facilities, categories (distinct facility categories present)
SELECT
    c.circle_id, c.name_zh, c.street_code, s.name_zh AS street_name, c.center_lat, c.center_lon,
    c.walk_minutes, c.launched_on,
    count(f.facility_id)        AS facilities,
    count(DISTINCT f.category)  AS categories
FROM circles c
JOIN streets s USING (street_code)
LEFT JOIN facilities f ON f.circle_id = c.circle_id
WHERE picked($streets::VARCHAR[], c.street_code)
GROUP BY ALL
ORDER BY c.street_code, c.circle_id
