// Existing meetings by key, with their properties and proeftuin.
UNWIND $keys AS k
MATCH (m:Meeting {key: k})
OPTIONAL MATCH (m)-[:IN]->(p:Proeftuin)
RETURN m.key AS key, properties(m) AS props, p.key AS proeftuin
