-- circle_communities: every community with its point, population and street, for coverage and catchments.
-- All of them: the before/after comparison needs the communities outside every circle as its control.
-- params: none
-- returns: community_id, name_zh, street_code, street_name, street_short, lat, lon, population
SELECT c.community_id, c.name_zh, c.street_code, s.name_zh AS street_name, s.short_zh AS street_short,
       c.lat, c.lon, c.population
FROM communities c
JOIN streets s USING (street_code)
WHERE c.lat IS NOT NULL AND c.lon IS NOT NULL
ORDER BY c.street_code, c.community_id
