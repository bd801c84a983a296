// A survey round by key in any proeftuin (to refuse a key that is taken).
MATCH (r:SurveyRound {key: $key})-[:OF]->(p:Proeftuin)
RETURN p.key AS proeftuin
