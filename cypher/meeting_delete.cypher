// Delete one meeting of a proeftuin with its attendance.
MATCH (m:Meeting {key: $key})-[:IN]->(:Proeftuin {key: $proeftuin})
DETACH DELETE m
RETURN count(*) AS deleted
