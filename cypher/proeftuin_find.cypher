// One proeftuin's own properties (no counts) and the store's generation, or no row when it
// does not exist.
MATCH (p:Proeftuin {key: $key})
OPTIONAL MATCH (s:Store {key: 'store'})
RETURN p.key AS key, p.name AS name, coalesce(p.municipality, '') AS municipality,
       coalesce(p.fictional, false) AS fictional, p.version AS version,
       coalesce(s.generation, '') AS generation
