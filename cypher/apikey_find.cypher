// The API key with this hash, if it exists and is not revoked.
MATCH (k:ApiKey {hash: $hash})
WHERE NOT k.revoked
RETURN k.id AS id, k.name AS name, k.role AS role
