-- data_health: row count, date range and one gap count per table of the snapshot, for the
-- 数据管理 page.  The gap is the thing most worth watching in that table (tickets with no
-- community, facilities outside every circle, ...); the page shows it next to its label.
-- params: none
-- returns: table_name, rows, first_day, last_day (NULL where the table has no dates),
--          gaps, gap_label
SELECT 'tickets' AS table_name, count(*) AS rows,
       min(created_at)::DATE AS first_day, max(created_at)::DATE AS last_day,
       count(*) FILTER (WHERE community_id IS NULL) AS gaps, '未匹配社区的工单' AS gap_label
FROM tickets
UNION ALL
SELECT 'streets', count(*), NULL, NULL,
       count(*) FILTER (WHERE boundary_kind <> 'imported'), '示意边界（未导入真实边界）的街道'
FROM streets
UNION ALL
SELECT 'communities', count(*), NULL, NULL,
       count(*) FILTER (WHERE population IS NULL OR population = 0), '人口为空或为0的社区'
FROM communities
UNION ALL
SELECT 'circles', count(*), min(launched_on), max(launched_on),
       count(*) FILTER (WHERE launched_on IS NULL), '建成日期不详的生活圈'
FROM circles
UNION ALL
SELECT 'facilities', count(*), min(opened_on), max(opened_on),
       count(*) FILTER (WHERE circle_id IS NULL), '不属于任何生活圈的设施'
FROM facilities
