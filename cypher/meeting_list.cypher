// Meetings of a proeftuin with their attendees, in key order, one page at a time.
MATCH (m:Meeting)-[:IN]->(:Proeftuin {key: $proeftuin})
RETURN m.key AS key, properties(m) AS props,
       [(a:Actor)-[:ATTENDED]->(m) | a.key] AS attendees
ORDER BY key
SKIP $skip LIMIT $limit
