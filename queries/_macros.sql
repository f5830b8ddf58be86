-- _macros: helpers every query may use; run once when a snapshot's database opens (dashboard/db.py).
-- picked(selection, value): true when the selection is empty (= no filter) or holds the value.
-- Filters bind lists as parameters; an empty list means "all", so pages never drop a predicate.
CREATE MACRO picked(selection, value) AS (len(selection) = 0 OR list_contains(selection, value));
-- in_view(...): the shared street / category / subcategory filters on one row, in one place.
CREATE MACRO in_view(streets, categories, subs, street, l1, l2) AS
    picked(streets, street) AND picked(categories, l1) AND picked(subs, l2);
-- counts_between(lo, hi): the rollup counts of the inclusive window of days [lo, hi], one row per
-- day × street × category like `daily`, except that whole calendar months inside the window come
-- from `monthly` as one row dated the 1st.  Sums over it equal sums over `daily` for the window,
-- from ~30× fewer rows.  The partial first and last months are plain day ranges (first_full_month
-- and last_full_day fold to constants), so the scan of `daily` (sorted by day) skips the rest.
CREATE MACRO first_full_month(lo) AS
    CASE WHEN day(lo) = 1 THEN lo ELSE CAST(date_trunc('month', lo) + INTERVAL 1 MONTH AS DATE) END;
CREATE MACRO last_full_day(hi) AS
    CASE WHEN hi = last_day(hi) THEN hi ELSE CAST(date_trunc('month', hi) - INTERVAL 1 DAY AS DATE) END;
CREATE MACRO counts_between(lo, hi) AS TABLE
    SELECT month AS day, street_code, category_l1, category_l2, tickets, valid, contacted, resolved,
           sat_full, sat_basic, closed, overdue
    FROM monthly
    WHERE month >= lo AND last_day(month) <= hi
    UNION ALL
    SELECT day, street_code, category_l1, category_l2, tickets, valid, contacted, resolved,
           sat_full, sat_basic, closed, overdue
    FROM daily
    WHERE day >= lo AND day <= hi AND day < first_full_month(lo)
    UNION ALL
    SELECT day, street_code, category_l1, category_l2, tickets, valid, contacted, resolved,
           sat_full, sat_basic, closed, overdue
    FROM daily
    WHERE day >= lo AND day <= hi AND day >= first_full_month(lo) AND day > last_full_day(hi);
