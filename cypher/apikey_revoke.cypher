// Revoke an API key by id; it stops working at once.
MATCH (k:ApiKey {id: $id})
SET k.revoked = true
RETURN count(k) AS revoked
