-- _ticket_macros: helpers that need only the tickets table, so the rollups' build can use them too
-- (dashboard/store/rollups.py); run first when a snapshot's database opens (dashboard/store/db.py).
-- picked(selection, value): true when the selection is empty (= no filter) or holds the value.
-- Filters bind lists as parameters; an empty list means "all", so pages never drop a predicate.
CREATE MACRO picked(selection, value) AS (len(selection) = 0 OR list_contains(selection, value));
-- in_view(...): the shared street / category / subcategory filters on one row, in one place.
-- The community filter ($communities) is a separate picked(...) line, on queries whose rows
-- know their community.
CREATE MACRO in_view(streets, categories, subs, street, l1, l2) AS
    picked(streets, street) AND picked(categories, l1) AND picked(subs, l2);
-- ticket_counts(lo, hi, communities): the counts behind every rate per day × street × community ×
-- category, straight from tickets, for the tickets of the chosen communities (all when the list is
-- empty).  The one definition of each count: the daily and community_monthly rollups sum it.  "Now" for
-- overdue is the snapshot's last ticket, so open tickets are judged against the data, not the
-- wall clock of whoever reads it.  The three rates count valid callbacks only (接诉即办 rule).
CREATE MACRO ticket_counts(lo, hi, communities) AS TABLE
    SELECT
        CAST(created_at AS DATE)                                         AS day,
        street_code,
        community_id,
        category_l1,
        category_l2,
        count(*)                                                         AS tickets,
        count(*) FILTER (WHERE callback_valid)                           AS valid,
        count(*) FILTER (WHERE callback_valid AND contacted)             AS contacted,
        count(*) FILTER (WHERE callback_valid AND resolved)              AS resolved,
        count(*) FILTER (WHERE callback_valid AND satisfaction = '满意')     AS sat_full,
        count(*) FILTER (WHERE callback_valid AND satisfaction = '基本满意') AS sat_basic,
        count(closed_at)                                                 AS closed,
        count(*) FILTER (WHERE closed_at > due_at
                            OR (closed_at IS NULL AND due_at < (SELECT max(created_at) FROM tickets))) AS overdue
    FROM tickets
    WHERE created_at >= lo AND created_at < hi + INTERVAL 1 DAY AND picked(communities, community_id)
    GROUP BY ALL;
