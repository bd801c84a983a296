// Ties between two actors of the given proeftuinen (every tie between actors when $keys
// is null), as plain values: no node objects, which are slower to read.  Filtering the
// target through its proeftuin (rather than `t.key IN <every actor key>`) keeps this linear.
MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
MATCH (s:Actor)-[:IN]->(p)
WITH DISTINCT s
MATCH (s)-[r]->(t:Actor)
WHERE $keys IS NULL OR EXISTS { MATCH (t)-[:IN]->(q:Proeftuin) WHERE q.key IN $keys }
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
