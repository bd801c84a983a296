// Residents of the given proeftuinen whose IN relationship has no pseudonym yet.
MATCH (a:Actor {kind: 'resident'})-[r:IN]->(p:Proeftuin)
WHERE p.key IN $keys AND r.pseudonym IS NULL
RETURN p.key AS proeftuin, a.key AS key
ORDER BY proeftuin, key
