// Store a new API key by the hash of its secret (the key itself is never stored).
CREATE (k:ApiKey {id: $id, hash: $hash, name: $name, role: $role, created: datetime(), revoked: false})
RETURN k.id AS id
