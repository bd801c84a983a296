// Existing ties by identity (source, target, relationship type, since), for diffs.
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $rows AS row
MATCH (s:Actor {key: row.source})-[r]->(t:Actor {key: row.target})
USING INDEX s:Actor(key)
USING INDEX t:Actor(key)
WHERE type(r) = row.rel AND r.since = row.since
RETURN row.idx AS idx, properties(r) AS props
