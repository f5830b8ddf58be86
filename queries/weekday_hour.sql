-- weekday_hour: tickets by ISO weekday (1 = Monday) and hour of creation, per street.
-- Per street, with no street filter: the views sum the chosen streets' rows (analysis.summed_over_streets),
-- so a street picked in the sidebar reads the district's answer from the result cache instead of running.
-- Whole months come from the weekday_hours rollup (month × street × level-1 category), the days of a
-- partial first or last month from tickets; a view filtered by subcategory or community (which the
-- rollup does not keep) counts its tickets for the whole window.
-- params: $start, $end DATE inclusive; $categories, $subs VARCHAR[] (empty = all)
--         $communities VARCHAR[] community ids (empty = all; the 社区 filter)
-- returns: weekday, hour, street_code, tickets
WITH parts AS (
    SELECT weekday, hour, street_code, tickets
    FROM weekday_hours
    WHERE len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0
      AND month >= $start AND last_day(month) <= $end
      AND picked($categories::VARCHAR[], category_l1)
    UNION ALL
    SELECT isodow(created_at), hour(created_at), street_code, count(*)
    FROM tickets
    WHERE ((created_at >= $start
            AND created_at < head_end($start, $end, len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0))
           OR (len($subs::VARCHAR[]) + len($communities::VARCHAR[]) = 0
               AND created_at >= tail_start($start, $end) AND created_at < $end + INTERVAL 1 DAY))
      AND picked($categories::VARCHAR[], category_l1) AND picked($subs::VARCHAR[], category_l2)
      AND picked($communities::VARCHAR[], community_id)
    GROUP BY ALL
)
SELECT weekday, hour, street_code, sum(tickets)::BIGINT AS tickets
FROM parts
GROUP BY ALL
ORDER BY weekday, hour, street_code
