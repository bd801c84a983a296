// Which of the given actor keys belong to the proeftuin.
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $keys AS k
MATCH (a:Actor {key: k})-[:IN]->(:Proeftuin {key: $proeftuin})
USING INDEX a:Actor(key)
RETURN DISTINCT a.key AS key
