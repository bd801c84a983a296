// Change properties of invitations of a round (a null value removes one).
UNWIND $rows AS row
MATCH (i:SurveyInvitation {id: row.id})-[:FOR]->(:SurveyRound {key: $round})
SET i += row.props
RETURN count(i) AS changed
