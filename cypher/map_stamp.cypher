// Data and layout versions of the given proeftuinen (all when $keys is null), the version of the national layout and the store's generation: rendered maps are cached on them. With them the layout algorithm's version each stored layout was made with (0 for a proeftuin, '' for the national map: before it was kept).
OPTIONAL MATCH (s:Store {key: 'store'})
WITH s.generation AS generation
OPTIONAL MATCH (l:Layout {key: 'national'})
WITH generation, coalesce(l.version, 0) AS national, coalesce(l.algorithm, '') AS national_algorithm
MATCH (p:Proeftuin)
WHERE $keys IS NULL OR p.key IN $keys
RETURN p.key AS key, p.version AS version, coalesce(p.layout_version, 0) AS layout, national,
       generation, coalesce(p.layout_algorithm, 0) AS algorithm, national_algorithm
ORDER BY key
