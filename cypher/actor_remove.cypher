// Take an actor out of a proeftuin; delete it (and its ties) when it belongs to no other proeftuin.
MATCH (a:Actor {key: $key})-[m:IN]->(p:Proeftuin {key: $proeftuin})
DELETE m
WITH a
CALL (a) {
  WITH a WHERE NOT EXISTS { (a)-[:IN]->(:Proeftuin) }
  DETACH DELETE a
  RETURN count(*) AS deleted
}
RETURN deleted
