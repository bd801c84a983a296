// Write meetings in one batch, each in its proeftuin.
UNWIND $rows AS row
MATCH (p:Proeftuin {key: row.proeftuin})
MERGE (m:Meeting {key: row.key})
SET m = row.props
WITH m, p
OPTIONAL MATCH (m)-[old:IN]->(other:Proeftuin) WHERE other <> p
DELETE old
MERGE (m)-[:IN]->(p)
RETURN count(DISTINCT m) AS meetings
