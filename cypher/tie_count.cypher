// Number of ties between actors of a proeftuin, of the given relationship types (for paging).
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE type(r) IN $rels
RETURN count(r) AS n
