// One tie by identity, only when both its actors belong to the proeftuin.
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor {key: $source})-[r]->(t:Actor {key: $target})-[:IN]->(p)
WHERE type(r) = $rel AND r.since = $since
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
