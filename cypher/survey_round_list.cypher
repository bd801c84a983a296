// The survey rounds of a proeftuin, newest opening date first.
MATCH (r:SurveyRound)-[:OF]->(:Proeftuin {key: $proeftuin})
RETURN properties(r) AS props
ORDER BY r.opens DESC, r.key
