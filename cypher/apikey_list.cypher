// Every API key (never the hash), newest first.
MATCH (k:ApiKey)
RETURN k.id AS id, k.name AS name, k.role AS role, toString(k.created) AS created, k.revoked AS revoked
ORDER BY k.created DESC
