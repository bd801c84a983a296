// The invitation with this token hash (looked up through the unique index) and its round.
MATCH (i:SurveyInvitation {hash: $hash})-[:FOR]->(r:SurveyRound)-[:OF]->(p:Proeftuin)
RETURN properties(i) AS props, properties(r) AS round, p.key AS proeftuin
