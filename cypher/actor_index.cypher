// Every actor's key, kind, name and proeftuinen: what an import checks its keys against.
MATCH (a:Actor)
RETURN a.key AS key, a.kind AS kind, a.name AS name,
       [(a)-[:IN]->(p:Proeftuin) | p.key] AS proeftuinen
