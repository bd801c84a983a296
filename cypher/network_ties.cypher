// Ties among the given actors, as plain values (no node objects: cheaper to read).
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $keys AS k
MATCH (s:Actor {key: k})-[r]->(t:Actor)
USING INDEX s:Actor(key)
WHERE t.key IN $keys
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
