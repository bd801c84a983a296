// Record an editor's decision on a proposed person.
MATCH (x:SurveyProposal {id: $id})-[:FOR]->(:SurveyRound {key: $round})
SET x += $props
RETURN x.id AS id
