// Record attendance in one batch.
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $rows AS row
MATCH (a:Actor {key: row.actor})
USING INDEX a:Actor(key)
MATCH (m:Meeting {key: row.meeting})
USING INDEX m:Meeting(key)
MERGE (a)-[:ATTENDED]->(m)
RETURN count(*) AS attendance
