-- streets: the streets with their boundaries, for maps, labels and per-capita views.
-- params: none
-- returns: street_code, name_zh, short_zh, name_en, population, area_km2, centroid_lat,
--          centroid_lon, geometry_geojson, boundary_kind
SELECT street_code, name_zh, short_zh, name_en, population, area_km2, centroid_lat, centroid_lon,
       geometry_geojson, boundary_kind
FROM streets
ORDER BY street_code
