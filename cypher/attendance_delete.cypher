// Delete the attendance of the given actors at one meeting of a proeftuin.
MATCH (m:Meeting {key: $meeting})-[:IN]->(:Proeftuin {key: $proeftuin})
UNWIND $actors AS k
MATCH (:Actor {key: k})-[r:ATTENDED]->(m)
DELETE r
RETURN count(r) AS deleted
