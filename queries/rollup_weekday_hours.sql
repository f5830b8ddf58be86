-- rollup_weekday_hours: tickets per month × street × level-1 category × ISO weekday × hour of creation.
-- Built at publish time (dashboard/store/rollups.py) so 来电时段分布 reads ~30k rows a month instead of
-- every ticket (weekday_hour.sql); subcategories and communities are left out (that grain would hold
-- nearly a row per ticket), so a view filtered by them counts its tickets.
-- params: none
-- returns: month (first day, DATE), street_code, category_l1, weekday (1 = Monday), hour, tickets
SELECT date_trunc('month', created_at)::DATE AS month, street_code, category_l1,
       isodow(created_at) AS weekday, hour(created_at) AS hour, count(*) AS tickets
FROM tickets
GROUP BY ALL
-- sorted by street, then month: a street reads its own row groups, a window prunes within them
ORDER BY street_code, month, category_l1, weekday, hour
