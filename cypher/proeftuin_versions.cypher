// The versions of the given proeftuinen (all when $keys is null): caches and ETags key on them.
MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN p.key AS key, p.version AS version
ORDER BY p.key
