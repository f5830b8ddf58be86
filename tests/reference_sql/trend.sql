-- trend: the counts behind the metrics per day, week or month, straight from tickets.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities  VARCHAR[] community ids (empty = all)
--         $grain 'day' | 'week' | 'month'
-- returns: bucket (DATE, first day of the bucket), tickets, valid, contacted, resolved, sat_full,
--          sat_basic, overdue
SELECT
    CAST(date_trunc($grain, created_at) AS DATE) AS bucket,
    count(*)::BIGINT AS tickets,
    count(*) FILTER (WHERE callback_valid)::BIGINT AS valid,
    count(*) FILTER (WHERE callback_valid AND contacted)::BIGINT AS contacted,
    count(*) FILTER (WHERE callback_valid AND resolved)::BIGINT AS resolved,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')::BIGINT AS sat_full,
    count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意')::BIGINT AS sat_basic,
    count(*) FILTER (WHERE coalesce(closed_at > due_at, due_at < (SELECT max(created_at) FROM tickets)))::BIGINT
        AS overdue
FROM tickets
WHERE created_at >= $start AND created_at < $end + INTERVAL 1 DAY
  AND picked($streets::VARCHAR[], street_code)
  AND picked($communities::VARCHAR[], community_id)
  AND picked($categories::VARCHAR[], category_l1)
  AND picked($subs::VARCHAR[], category_l2)
GROUP BY 1
ORDER BY 1
