// Which of the given (meeting, actor) pairs are already recorded.
// USING INDEX pins the key lookups to the unique index: without it the planner sometimes
// scans every actor for every row on a full store (bench/bench_import.py).
UNWIND $rows AS row
MATCH (a:Actor {key: row.actor})-[:ATTENDED]->(m:Meeting {key: row.meeting})
USING INDEX a:Actor(key)
USING INDEX m:Meeting(key)
RETURN row.meeting AS meeting, row.actor AS actor
