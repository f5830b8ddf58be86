-- community_choices: the communities the 社区 filter offers, grouped by street.
-- params: none
-- returns: community_id, name_zh, street_code (in code order within each street)
SELECT community_id, name_zh, street_code
FROM communities
ORDER BY street_code, community_id
