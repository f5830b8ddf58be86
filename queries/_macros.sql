-- _macros: helpers over the rollups, run after _ticket_macros.sql when a snapshot's database opens
-- (dashboard/store/db.py).
-- counts_between(lo, hi): the rollup counts of the inclusive window of days [lo, hi], one row per
-- day × street × category like `daily`, except that whole calendar months inside the window come
-- from `monthly` as one row dated the 1st.  Sums over it equal sums over `daily` for the window,
-- from ~30× fewer rows.  The partial first and last months are plain day ranges (first_full_month
-- and last_full_day fold to constants), so the scan of `daily` (sorted by day) skips the rest.
CREATE MACRO first_full_month(lo) AS
    CASE WHEN day(lo) = 1 THEN lo ELSE CAST(date_trunc('month', lo) + INTERVAL 1 MONTH AS DATE) END;
CREATE MACRO last_full_day(hi) AS
    CASE WHEN hi = last_day(hi) THEN hi ELSE CAST(date_trunc('month', hi) - INTERVAL 1 DAY AS DATE) END;
-- unfiltered(streets, categories, subs, communities): true when no street, category, subcategory or
-- community is chosen, so a query may read a rollup kept without them (handling_months).  The lists
-- are bound parameters: the test folds to a constant and the branch that does not apply is dropped.
CREATE MACRO unfiltered(streets, categories, subs, communities) AS
    len(streets) + len(categories) + len(subs) + len(communities) = 0;
-- has_whole_month(lo, hi): the window [lo, hi] holds at least one whole calendar month, so a monthly
-- rollup can answer part of it (handling_times).
CREATE MACRO has_whole_month(lo, hi) AS last_day(first_full_month(lo)) <= hi;
-- head_end(lo, hi, whole) and tail_start(lo, hi): a query that reads whole months from a monthly rollup
-- counts its tickets one by one on [lo, head_end) and [tail_start, hi + 1 day) — the days of a partial
-- first and last month (when `whole`), or the whole window [lo, hi + 1 day) when it cannot use the rollup
-- (then the tail part is left out).  Two plain ranges, so a file sorted by time is read only there.
CREATE MACRO head_end(lo, hi, whole) AS
    CASE WHEN whole THEN least(first_full_month(lo), hi + INTERVAL 1 DAY) ELSE hi + INTERVAL 1 DAY END;
CREATE MACRO tail_start(lo, hi) AS greatest(first_full_month(lo), last_full_day(hi) + INTERVAL 1 DAY);
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
-- daily_in / counts_in(lo, hi, communities): rows like daily's (or counts_between's) for the window,
-- of the chosen communities only (all when the list is empty).  daily and monthly hold streets, not
-- communities, so with a community filter the rows come from that community's tickets (daily_in)
-- or from community_monthly for whole months and its tickets for the rest (counts_in); a street may
-- then have several rows per day and category, which every caller sums anyway.  $communities is
-- bound as a constant, so DuckDB drops the branch that does not apply before it reads anything.
CREATE MACRO community_day_counts(lo, hi, communities) AS TABLE
    SELECT day, street_code, category_l1, category_l2, tickets, valid, contacted, resolved,
           sat_full, sat_basic, closed, overdue
    FROM ticket_counts(lo, hi, communities);
CREATE MACRO daily_in(lo, hi, communities) AS TABLE
    SELECT * FROM daily WHERE len(communities) = 0 AND day >= lo AND day <= hi
    UNION ALL
    SELECT * FROM community_day_counts(lo, hi, communities) WHERE len(communities) > 0;
-- community_counts_between(lo, hi, communities): counts_between's rows, with community_id, for the
-- tickets of the chosen communities (every ticket with a community when the list is empty): whole
-- calendar months from community_monthly (one row dated the 1st), the days of a partial first and last
-- month from tickets.
CREATE MACRO community_counts_between(lo, hi, communities) AS TABLE
    SELECT month AS day, street_code, community_id, category_l1, category_l2, tickets, valid, contacted,
           resolved, sat_full, sat_basic, closed, overdue
    FROM community_monthly
    WHERE picked(communities, community_id) AND month >= lo AND last_day(month) <= hi
    UNION ALL
    SELECT * FROM ticket_counts(lo, first_full_month(lo) - INTERVAL 1 DAY, communities)
    WHERE day <= hi AND community_id IS NOT NULL
    UNION ALL
    SELECT * FROM ticket_counts(greatest(first_full_month(lo), last_full_day(hi) + INTERVAL 1 DAY), hi, communities)
    WHERE community_id IS NOT NULL;
CREATE MACRO counts_in(lo, hi, communities) AS TABLE
    SELECT * FROM counts_between(lo, hi) WHERE len(communities) = 0
    UNION ALL
    SELECT day, street_code, category_l1, category_l2, tickets, valid, contacted, resolved, sat_full, sat_basic,
           closed, overdue
    FROM community_counts_between(lo, hi, communities)
    WHERE len(communities) > 0;
-- lead_rows(lo, hi, streets, communities, followup_days, horizon): the 未诉先办 leads that arose in the
-- inclusive window of days [lo, hi] (lead_list rollup, filtered by street and community), each with the
-- first item started or whistle blown in its community and level-1 category within followup_days days
-- and its state (已跟进 | 跟进期内 | 未跟进; horizon: the first moment after the data).  One definition
-- for the list (leads.sql), its counts (lead_states.sql) and the rows still waiting (waiting_leads.sql).
CREATE MACRO lead_rows(lo, hi, streets, communities, followup_days, horizon) AS TABLE
    WITH picked AS (
        SELECT * FROM lead_list
        WHERE lead_at >= lo AND lead_at < hi + INTERVAL 1 DAY
          AND picked(streets, street_code) AND picked(communities, community_id)
    ),
    actions AS (   -- what counts as acting: an item started, or a whistle blown, in the community and category
        SELECT community_id, category_l1, CAST(started_on AS TIMESTAMP) AS at, '实事项目' AS action_kind
        FROM action_items WHERE started_on IS NOT NULL AND community_id IS NOT NULL
        UNION ALL
        SELECT community_id, category_l1, whistled_at, '吹哨' FROM whistles WHERE community_id IS NOT NULL
    ),
    followed AS (
        SELECT p.lead_id, p.kind, min(a.at) AS followed_at, arg_min(a.action_kind, a.at) AS action_kind
        FROM picked p JOIN actions a
          ON a.community_id = p.community_id AND a.category_l1 = p.category_l1
         AND a.at >= date_trunc('day', p.lead_at) AND a.at < p.lead_at + to_days(followup_days)
        GROUP BY p.lead_id, p.kind
    )
    SELECT p.lead_id, p.kind, p.street_code, p.community_id, c.name_zh AS community, p.category_l1,
           p.category_l2, p.lead_at, p.tickets, f.followed_at, f.action_kind,
           CASE WHEN f.followed_at IS NOT NULL THEN '已跟进'
                WHEN p.lead_at + to_days(followup_days) > horizon THEN '跟进期内'
                ELSE '未跟进' END AS state
    FROM picked p
    LEFT JOIN followed f ON f.lead_id = p.lead_id AND f.kind = p.kind
    LEFT JOIN communities c ON c.community_id = p.community_id;
