// Number of ties between actors of a proeftuin, of the given relationship types (for paging).
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE type(r) IN $rels
  AND ($confirmed IS NULL OR coalesce(r.confirmed, true) = $confirmed)
RETURN count(r) AS n
