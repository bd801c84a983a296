// Write actors in one batch: properties replaced whole, kind label set, proeftuin memberships added.
UNWIND $rows AS row
MERGE (a:Actor {key: row.key})
SET a = row.props
REMOVE a:$($kind_labels)
SET a:$(row.label)
WITH a, row
UNWIND row.proeftuinen AS pk
MATCH (p:Proeftuin {key: pk})
MERGE (a)-[:IN]->(p)
RETURN count(DISTINCT a) AS actors
