// The ties between actors of a proeftuin that a survey round made (by their provenance).
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE r.provenance = $provenance
RETURN DISTINCT s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
