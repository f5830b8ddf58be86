-- rollup_repeat_places: tickets at places (~100 m cells) that got ≥ 3 of the same subcategory
-- within 30 days at some point — different callers about one spot call for proactive work.
-- Built once at publish time for the same reason as rollup_repeat_callers, with the same lag test.
-- params: none
-- returns: ticket_id, created_at, street_code, community_id, category_l1, category_l2, caller_key,
--          cell_lat, cell_lon, in_30d (this place's same-subcategory tickets in the 30 days up to this one),
--          place_id (the place — cell and subcategory — as one integer, numbered in the order of
--          cell_lat, cell_lon, category_l2: repeat_places groups and breaks ties on it),
--          caller_id (the caller_key's 16 hex digits — ingest admits no other key — as the same 64 bits in
--          an integer: repeat_places counts callers on it instead of decoding ~3M strings a year)
-- Sorted by street, then time: a street reads its own row groups, a window prunes within them.
WITH base AS (
    SELECT ticket_id, created_at, street_code, community_id, category_l1, category_l2, caller_key,
           round(lat, 3) AS cell_lat,   -- 0.001° ≈ 111 m north–south, 85 m east–west at 39.9°N
           round(lon, 3) AS cell_lon
    FROM tickets
    WHERE lat IS NOT NULL AND lon IS NOT NULL
), third AS (
    SELECT *, coalesce(created_at - lag(created_at, 2) OVER w <= INTERVAL 30 DAYS, false) AS third_in_30d
    FROM base
    WINDOW w AS (PARTITION BY cell_lat, cell_lon, category_l2 ORDER BY created_at)
), flagged AS (
    SELECT * EXCLUDE (third_in_30d) FROM third
    QUALIFY bool_or(third_in_30d) OVER (PARTITION BY cell_lat, cell_lon, category_l2)
), places AS (   -- each place once, numbered in order: a small sort instead of one over every ticket
    SELECT cell_lat, cell_lon, category_l2,
           CAST(row_number() OVER (ORDER BY cell_lat, cell_lon, category_l2) AS INTEGER) AS place_id
    FROM (SELECT DISTINCT cell_lat, cell_lon, category_l2 FROM flagged)
)
SELECT f.*,
       count(*) OVER (PARTITION BY f.cell_lat, f.cell_lon, f.category_l2 ORDER BY f.created_at
                      RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30d,
       p.place_id,
       CAST('0x' || f.caller_key AS UBIGINT) AS caller_id
FROM flagged f
JOIN places p ON p.cell_lat = f.cell_lat AND p.cell_lon = f.cell_lon AND p.category_l2 = f.category_l2
ORDER BY f.street_code, f.created_at
