// Change properties of a survey round (a null value removes one).
MATCH (r:SurveyRound {key: $key})-[:OF]->(:Proeftuin {key: $proeftuin})
SET r += $props
RETURN r.key AS key
