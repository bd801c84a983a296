// Data and layout versions of the given proeftuinen (all when $keys is null) and the version of the national layout: rendered maps are cached on them.
OPTIONAL MATCH (l:Layout {key: 'national'})
WITH coalesce(l.version, 0) AS national
MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN p.key AS key, p.version AS version, coalesce(p.layout_version, 0) AS layout, national
ORDER BY key
