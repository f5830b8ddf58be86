-- weekday_hour: tickets by ISO weekday (1 = Monday) and hour of creation.
-- Whole months come from the weekday_hours rollup (month × street × level-1 category), the days of a
-- partial first or last month from tickets; a view filtered by subcategory or community (which the
-- rollup does not keep) counts its tickets for the whole window.
-- params: $start, $end DATE inclusive; $streets, $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: weekday, hour, tickets
WITH parts AS (
    SELECT weekday, hour, tickets
    FROM weekday_hours
    WHERE len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0
      AND month >= $start AND last_day(month) <= $end
      AND picked($streets::VARCHAR[], street_code) AND picked($categories::VARCHAR[], category_l1)
    UNION ALL
    SELECT isodow(created_at), hour(created_at), count(*)
    FROM tickets
    WHERE ((created_at >= $start
            AND created_at < head_end($start, $end, len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0))
           OR (len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0
               AND created_at >= tail_start($start, $end) AND created_at < $end + INTERVAL 1 DAY))
      AND in_view($streets::VARCHAR[], $categories::VARCHAR[], $subs::VARCHAR[],
                  street_code, category_l1, category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY ALL
)
SELECT weekday, hour, sum(tickets)::BIGINT AS tickets
FROM parts
GROUP BY ALL
ORDER BY weekday, hour
