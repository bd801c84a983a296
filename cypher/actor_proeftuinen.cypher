// The proeftuinen of the given actors (to know whose version a write touches).
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $keys AS k
MATCH (a:Actor {key: k})-[:IN]->(p:Proeftuin)
USING INDEX a:Actor(key)
RETURN collect(DISTINCT p.key) AS keys
