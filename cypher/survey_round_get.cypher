// One survey round of a proeftuin, with its own properties.
MATCH (r:SurveyRound {key: $key})-[:OF]->(:Proeftuin {key: $proeftuin})
RETURN properties(r) AS props
