// Meetings of the given proeftuinen (every proeftuin when $keys is null) with their attendees.
MATCH (m:Meeting)-[:IN]->(p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN m.key AS key, properties(m) AS props, p.key AS proeftuin,
       [(a:Actor)-[:ATTENDED]->(m) | a.key] AS attendees
ORDER BY key
