// End ties (set their until) identified by source, target, relationship type, since and provenance.
UNWIND $rows AS row
MATCH (s:Actor {key: row.source})-[r]->(t:Actor {key: row.target})
USING INDEX s:Actor(key)
WHERE type(r) = row.rel AND r.since = row.since AND r.provenance = row.provenance
SET r.until = row.until
RETURN count(r) AS ended
