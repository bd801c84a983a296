// One API key by its public id, revoked or not, with its hash: to re-validate a signed-in
// session (which holds only the id) and to keep new ids unique.
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.name AS name, k.role AS role, k.hash AS hash, k.revoked AS revoked
LIMIT 1
