// Every resident's stored pseudonym in each of its proeftuinen, with the proeftuin's name (labels on the national map).
MATCH (a:Actor {kind: 'resident'})-[r:IN]->(p:Proeftuin)
WHERE r.pseudonym IS NOT NULL
RETURN a.key AS key, p.key AS proeftuin, p.name AS name, r.pseudonym AS pseudonym
ORDER BY key, proeftuin
