// Actors of a proeftuin, optionally of one kind, in key order, one page at a time.
MATCH (a:Actor)-[:IN]->(:Proeftuin {key: $proeftuin})
WHERE $kind IS NULL OR a.kind = $kind
RETURN a.key AS key, properties(a) AS props,
       [(a)-[:IN]->(p:Proeftuin) | p.key] AS proeftuinen
ORDER BY a.key
SKIP $skip LIMIT $limit
