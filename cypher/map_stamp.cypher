// Data and layout versions of the given proeftuinen (all when $keys is null), the version of the national layout and the store's generation: rendered maps are cached on them.
OPTIONAL MATCH (s:Store {key: 'store'})
WITH s.generation AS generation
OPTIONAL MATCH (l:Layout {key: 'national'})
WITH generation, coalesce(l.version, 0) AS national
MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN p.key AS key, p.version AS version, coalesce(p.layout_version, 0) AS layout, national,
       generation
ORDER BY key
