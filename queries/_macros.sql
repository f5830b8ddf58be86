-- _macros: helpers every query may use; run once when a snapshot's database opens (dashboard/db.py).
-- picked(selection, value): true when the selection is empty (= no filter) or holds the value.
-- Filters bind lists as parameters; an empty list means "all", so pages never drop a predicate.
CREATE MACRO picked(selection, value) AS (len(selection) = 0 OR list_contains(selection, value));
