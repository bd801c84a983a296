// Store people proposed by respondents ("someone not on the list"), pending an editor's review.
UNWIND $rows AS row
MATCH (r:SurveyRound {key: row.round})
CREATE (x:SurveyProposal)-[:FOR]->(r)
SET x = row
RETURN count(x) AS created
