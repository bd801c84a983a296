// One tie by identity, only when both its actors belong to the proeftuin.  With $lock the
// tie's write lock is taken first, so that a conditional delete (If-Match) compares what it
// will delete: nobody can change the tie between the check and the write.
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor {key: $source})-[r]->(t:Actor {key: $target})-[:IN]->(p)
WHERE type(r) = $rel AND r.since = $since
FOREACH (_ IN CASE WHEN $lock THEN [1] ELSE [] END | SET r.lock_ = true REMOVE r.lock_)
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
