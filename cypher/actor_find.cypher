// Existing actors by key, with their properties and proeftuinen (for conflict checks and diffs).
UNWIND $keys AS k
MATCH (a:Actor {key: k})
RETURN a.key AS key, properties(a) AS props,
       [(a)-[:IN]->(p:Proeftuin) | p.key] AS proeftuinen
