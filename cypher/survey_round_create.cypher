// Store a new survey round of a proeftuin (its questions as a JSON string); returns its key.
MATCH (p:Proeftuin {key: $proeftuin})
CREATE (r:SurveyRound)-[:OF]->(p)
SET r = $props
RETURN r.key AS key
