// Open ties of the given types that earlier survey rounds made between actors of a proeftuin.
MATCH (p:Proeftuin {key: $proeftuin})<-[:IN]-(s:Actor)-[r]->(t:Actor)-[:IN]->(p)
WHERE type(r) IN $rels AND r.until IS NULL
  AND r.provenance STARTS WITH 'survey:' AND r.provenance <> $provenance
RETURN DISTINCT s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
