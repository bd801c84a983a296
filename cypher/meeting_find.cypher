// Existing meetings by key, with their properties and proeftuin.
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $keys AS k
MATCH (m:Meeting {key: k})
USING INDEX m:Meeting(key)
OPTIONAL MATCH (m)-[:IN]->(p:Proeftuin)
RETURN m.key AS key, properties(m) AS props, p.key AS proeftuin
