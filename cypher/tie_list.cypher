// Ties between actors of a proeftuin, optionally of some types, one page at a time.
// $confirmed: null for all; true leaves out ties a survey reported from one side only
// (confirmed = false), false keeps only those.
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE type(r) IN $rels
  AND ($confirmed IS NULL OR coalesce(r.confirmed, true) = $confirmed)
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
ORDER BY source, target, rel, r.since
SKIP $skip LIMIT $limit
