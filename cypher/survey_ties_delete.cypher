// Delete the ties between actors of a proeftuin that a survey round made (to write them anew).
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE r.provenance = $provenance
WITH DISTINCT r
DELETE r
RETURN count(*) AS deleted
