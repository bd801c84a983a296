// The proposed people of a round, oldest first.
MATCH (x:SurveyProposal)-[:FOR]->(:SurveyRound {key: $round})
RETURN properties(x) AS props
ORDER BY x.created, x.id
