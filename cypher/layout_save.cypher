// Store map positions on the actors' IN relationships of one proeftuin and increase its layout_version (never its version: positions are presentation, not data); $algorithm (when not null) is the layout algorithm's version of a whole new layout.
MATCH (p:Proeftuin {key: $proeftuin})
SET p.layout_version = coalesce(p.layout_version, 0) + 1,
    p.layout_algorithm = coalesce($algorithm, p.layout_algorithm)
WITH p
CALL (p) {
  UNWIND $rows AS row
  MATCH (:Actor {key: row.key})-[r:IN]->(p)
  SET r.x = row.x, r.y = row.y
  RETURN count(r) AS stored
}
RETURN p.layout_version AS layout, stored
