// One meeting of a proeftuin with its attendees.
MATCH (m:Meeting {key: $key})-[:IN]->(:Proeftuin {key: $proeftuin})
RETURN m.key AS key, properties(m) AS props,
       [(a:Actor)-[:ATTENDED]->(m) | a.key] AS attendees
