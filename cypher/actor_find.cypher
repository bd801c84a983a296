// Existing actors by key, with their properties and proeftuinen (for conflict checks and diffs).
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $keys AS k
MATCH (a:Actor {key: k})
USING INDEX a:Actor(key)
RETURN a.key AS key, properties(a) AS props,
       [(a)-[:IN]->(p:Proeftuin) | p.key] AS proeftuinen
