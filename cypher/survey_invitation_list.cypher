// The invitations of a round, without their token hashes, oldest first.
MATCH (i:SurveyInvitation)-[:FOR]->(:SurveyRound {key: $round})
RETURN properties(i) AS props
ORDER BY i.created, i.id
