// Record attendance in one batch.
UNWIND $rows AS row
MATCH (a:Actor {key: row.actor})
MATCH (m:Meeting {key: row.meeting})
MERGE (a)-[:ATTENDED]->(m)
RETURN count(*) AS attendance
