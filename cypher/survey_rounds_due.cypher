// Open survey rounds whose closing date has passed, of the given proeftuinen (every
// proeftuin when $keys is null): what the lazy auto-close closes.
MATCH (r:SurveyRound)-[:OF]->(p:Proeftuin)
WHERE ($keys IS NULL OR p.key IN $keys)
  AND coalesce(r.status, 'open') = 'open' AND r.closes < $today
RETURN p.key AS proeftuin, r.key AS key
ORDER BY proeftuin, key
