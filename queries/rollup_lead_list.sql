-- rollup_lead_list: every 未诉先办 lead, one row each — a repeat place (same ~100 m spot, same
-- subcategory) or a repeat caller — with the moment it reached ≥ 3 tickets within 30 days.
-- Built once at publish time (dashboard/store/rollups.py) from the repeat_places and repeat_callers
-- rollups: grouping their millions of rows per place and caller is the slow part of `leads`, and it
-- does not depend on the window, so pages only filter this table by lead_at, street and community.
-- Leads that never reached 3 in 30 days (no lead_at) or have no community can never be shown and are
-- left out.
-- params: none
-- returns: lead_id, kind (同一地点 | 重复来电), street_code, community_id, category_l1, category_l2,
--          lead_at, tickets (of the lead, all time)
WITH place_leads AS (
    SELECT 'P' || cell_lat || ',' || cell_lon || ',' || category_l2 AS lead_id, '同一地点' AS kind,
           mode(street_code) AS street_code, mode(community_id) AS community_id, any_value(category_l1) AS category_l1,
           category_l2, min(created_at) FILTER (WHERE in_30d >= 3) AS lead_at, count(*) AS tickets
    FROM repeat_places
    GROUP BY cell_lat, cell_lon, category_l2
),
caller_leads AS (
    -- a caller key is a keyed hash; the lead id shows only its first 8 characters
    SELECT 'C' || left(caller_key, 8) AS lead_id, '重复来电' AS kind,
           mode(street_code) AS street_code, mode(community_id) AS community_id, mode(category_l1) AS category_l1,
           mode(category_l2) AS category_l2, min(created_at) FILTER (WHERE in_30d >= 3) AS lead_at, count(*) AS tickets
    FROM repeat_callers
    GROUP BY caller_key
)
SELECT * FROM (SELECT * FROM place_leads UNION ALL SELECT * FROM caller_leads)
WHERE lead_at IS NOT NULL AND community_id IS NOT NULL
ORDER BY lead_at, lead_id   -- sorted by time, so a window's scan skips the rest of the file
