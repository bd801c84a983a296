// One actor of a proeftuin by key.
MATCH (a:Actor {key: $key})-[:IN]->(:Proeftuin {key: $proeftuin})
RETURN a.key AS key, properties(a) AS props,
       [(a)-[:IN]->(p:Proeftuin) | p.key] AS proeftuinen
