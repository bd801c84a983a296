// The proeftuinen of the given actors (to know whose version a write touches).
UNWIND $keys AS k
MATCH (:Actor {key: k})-[:IN]->(p:Proeftuin)
RETURN collect(DISTINCT p.key) AS keys
