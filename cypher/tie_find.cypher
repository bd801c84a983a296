// Existing ties by identity (source, target, relationship type, since), for diffs.
UNWIND $rows AS row
MATCH (s:Actor {key: row.source})-[r]->(t:Actor {key: row.target})
WHERE type(r) = row.rel AND r.since = row.since
RETURN row.idx AS idx, properties(r) AS props
