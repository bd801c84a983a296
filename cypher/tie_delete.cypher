// Delete one tie by identity.
MATCH (s:Actor {key: $source})-[r]->(t:Actor {key: $target})
WHERE type(r) = $rel AND r.since = $since
DELETE r
RETURN count(*) AS deleted
