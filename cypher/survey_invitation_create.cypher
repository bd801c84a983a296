// Store invitations of a round (each by the hash of its token, never the token itself).
UNWIND $rows AS row
MATCH (r:SurveyRound {key: row.round})
CREATE (i:SurveyInvitation)-[:FOR]->(r)
SET i = row
RETURN count(i) AS created
