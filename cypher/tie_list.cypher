// Ties between actors of a proeftuin, optionally of one type, one page at a time.
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE type(r) IN $rels
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
ORDER BY source, target, rel, r.since
SKIP $skip LIMIT $limit
