// One proeftuin with its version and the number of actors of each kind, or no row when it
// does not exist (the same columns as proeftuin_list), and the store's generation read with
// the version: together they make the proeftuin's ETag in one read.
MATCH (p:Proeftuin {key: $key})
OPTIONAL MATCH (s:Store {key: 'store'})
CALL (p) {
  OPTIONAL MATCH (a:Actor)-[:IN]->(p)
  WITH a.kind AS kind, count(a) AS n
  WHERE kind IS NOT NULL
  RETURN collect([kind, n]) AS kinds
}
CALL (p) {
  OPTIONAL MATCH (m:Meeting)-[:IN]->(p)
  RETURN count(m) AS meetings
}
RETURN p.key AS key, p.name AS name, p.municipality AS municipality,
       coalesce(p.fictional, false) AS fictional, p.version AS version, kinds, meetings,
       coalesce(s.generation, '') AS generation
