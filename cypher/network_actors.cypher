// Actors of the given proeftuinen (every proeftuin when $keys is null) as plain values.
MATCH (a:Actor)-[:IN]->(p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
WITH DISTINCT a
RETURN a.key AS key, properties(a) AS props,
       [(a)-[:IN]->(q:Proeftuin) | q.key] AS proeftuinen
ORDER BY key
