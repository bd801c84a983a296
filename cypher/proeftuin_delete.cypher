// Delete a proeftuin with its meetings and survey rounds (invitations, answers, proposals); actors that belong to no other proeftuin go with it.
MATCH (p:Proeftuin {key: $key})
OPTIONAL MATCH (m:Meeting)-[:IN]->(p)
DETACH DELETE m
WITH DISTINCT p
OPTIONAL MATCH (r:SurveyRound)-[:OF]->(p)
OPTIONAL MATCH (x)-[:FOR]->(r)
DETACH DELETE x, r
WITH DISTINCT p
OPTIONAL MATCH (a:Actor)-[:IN]->(p)
WHERE NOT EXISTS { (a)-[:IN]->(other:Proeftuin) WHERE other <> p }
DETACH DELETE a
WITH DISTINCT p
DETACH DELETE p
RETURN count(*) AS deleted
