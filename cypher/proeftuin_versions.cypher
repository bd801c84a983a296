// The store's generation and the versions of the given proeftuinen (all when $keys is null), in one read: caches and ETags key on them.
OPTIONAL MATCH (s:Store {key: 'store'})
WITH s.generation AS generation
OPTIONAL MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN generation, p.key AS key, p.version AS version
ORDER BY key
