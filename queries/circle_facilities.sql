-- circle_facilities: every facility with its category and point, for circle completeness, coverage and the map.
-- All of them, whatever street they stand in: a shop across a street boundary still serves the residents.
-- params: none
-- returns: facility_id, category, name_zh, lat, lon, circle_id (nullable), opened_on (nullable)
SELECT facility_id, category, name_zh, lat, lon, circle_id, opened_on
FROM facilities
WHERE lat IS NOT NULL AND lon IS NOT NULL
ORDER BY facility_id
