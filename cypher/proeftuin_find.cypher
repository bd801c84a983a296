// One proeftuin's own properties (no counts), or no row when it does not exist.
MATCH (p:Proeftuin {key: $key})
RETURN p.key AS key, p.name AS name, coalesce(p.municipality, '') AS municipality,
       coalesce(p.fictional, false) AS fictional, p.version AS version
