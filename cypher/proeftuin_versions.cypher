// The store's generation and the versions of the given proeftuinen (all when $keys is null), in one read: caches and ETags key on them.
// With a date in $due_on, also each proeftuin's open survey rounds whose closing date is before it (what the lazy auto-close closes), so that the check before a request costs no second query.
OPTIONAL MATCH (s:Store {key: 'store'})
WITH s.generation AS generation
OPTIONAL MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN generation, p.key AS key, p.version AS version,
       CASE WHEN $due_on IS NULL OR p IS NULL THEN []
            ELSE COLLECT {
              MATCH (r:SurveyRound)-[:OF]->(p)
              WHERE coalesce(r.status, 'open') = 'open' AND r.closes < $due_on
              RETURN r.key ORDER BY r.key
            }
       END AS due
ORDER BY key
