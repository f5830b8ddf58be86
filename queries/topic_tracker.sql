-- topic_tracker: each 每月一题 topic of the window against the same months a year earlier — tickets in
-- its categories over the topic's month and the ($topic_months − 1) months after it, per street and
-- for the district (street_code NULL) — with the items filed under the topic and how many are done.
-- params: $start, $end DATE (topics whose month falls in the window); $topic_months INTEGER;
--         $as_of DATE (items done by then)
-- returns: topic_id, year, month, title_zh, categories, street_code (NULL = district), population,
--          tickets, tickets_last_year, items, items_done
WITH topics AS (
    SELECT topic_id, any_value(year) AS year, any_value(month) AS month, any_value(title_zh) AS title_zh,
           string_agg(DISTINCT category_l1 || coalesce('/' || category_l2, ''), '、') AS categories,
           make_date(any_value(year), any_value(month), 1) AS first_month
    FROM monthly_topics
    GROUP BY topic_id
    HAVING make_date(any_value(year), any_value(month), 1) BETWEEN date_trunc('month', $start::DATE) AND $end
),
spans AS (   -- the months a topic covers, and the same months a year earlier
    SELECT t.topic_id, CAST(t.first_month + to_months(k) AS DATE) AS month, false AS last_year
    FROM topics t, range($topic_months::BIGINT) r(k)
    UNION ALL
    SELECT t.topic_id, CAST(t.first_month + to_months(k) - INTERVAL 1 YEAR AS DATE), true
    FROM topics t, range($topic_months::BIGINT) r(k)
),
counts AS (
    SELECT s.topic_id, m.street_code, grouping(m.street_code) AS total,
           sum(m.tickets) FILTER (WHERE NOT s.last_year) AS tickets,
           sum(m.tickets) FILTER (WHERE s.last_year) AS tickets_last_year
    FROM spans s
    JOIN monthly_topics mt ON mt.topic_id = s.topic_id
    JOIN monthly m ON m.month = s.month AND m.category_l1 = mt.category_l1
                  AND (mt.category_l2 IS NULL OR m.category_l2 = mt.category_l2)
    GROUP BY GROUPING SETS ((s.topic_id, m.street_code), (s.topic_id))
),
items AS (
    SELECT topic_id, street_code, grouping(street_code) AS total, count(*) AS items,
           count(*) FILTER (WHERE status = '完成' AND done_on <= $as_of) AS items_done
    FROM action_items WHERE topic_id IS NOT NULL
    GROUP BY GROUPING SETS ((topic_id, street_code), (topic_id))
),
keys AS (
    SELECT t.topic_id, s.street_code, 0 AS total, s.population FROM topics t CROSS JOIN streets s
    UNION ALL
    SELECT t.topic_id, NULL, 1, (SELECT sum(population) FROM streets) FROM topics t
)
SELECT t.topic_id, t.year, t.month, t.title_zh, t.categories, k.street_code, k.population,
       coalesce(c.tickets, 0)::BIGINT AS tickets, coalesce(c.tickets_last_year, 0)::BIGINT AS tickets_last_year,
       coalesce(i.items, 0)::BIGINT AS items, coalesce(i.items_done, 0)::BIGINT AS items_done
FROM keys k
JOIN topics t USING (topic_id)
LEFT JOIN counts c ON c.topic_id = k.topic_id AND c.street_code IS NOT DISTINCT FROM k.street_code AND c.total = k.total
LEFT JOIN items i ON i.topic_id = k.topic_id AND i.street_code IS NOT DISTINCT FROM k.street_code AND i.total = k.total
ORDER BY t.year, t.month, t.topic_id, k.total DESC, k.street_code
