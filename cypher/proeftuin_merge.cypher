// Create or update a proeftuin; a new one starts at version 1, a change bumps the version.
MERGE (p:Proeftuin {key: $key})
  ON CREATE SET p.version = 0
WITH p, (p.name IS NULL OR p.name <> $name OR coalesce(p.municipality, '') <> $municipality
         OR coalesce(p.fictional, false) <> $fictional) AS changed
SET p.name = $name, p.municipality = $municipality, p.fictional = $fictional,
    p.version = CASE WHEN changed THEN p.version + 1 ELSE p.version END
RETURN p.key AS key, p.version AS version, changed
