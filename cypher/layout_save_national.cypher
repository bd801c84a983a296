// Store positions on the national map: the Layout node 'national' (made when first needed, its version increased) and one PLACED_IN per actor; $algorithm (when not null) is the layout algorithm's version of a whole new layout.
MERGE (l:Layout {key: 'national'})
SET l.version = coalesce(l.version, 0) + 1,
    l.algorithm = coalesce($algorithm, l.algorithm)
WITH l
CALL (l) {
  UNWIND $rows AS row
  MATCH (a:Actor {key: row.key})
  MERGE (a)-[r:PLACED_IN]->(l)
  SET r.x = row.x, r.y = row.y
  RETURN count(r) AS stored
}
RETURN l.version AS layout, stored
