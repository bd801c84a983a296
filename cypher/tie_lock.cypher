// Take the write lock of one tie before reading it, as the first step of a conditional
// delete (If-Match): nobody can change the tie between the check and the write.
MATCH (s:Actor {key: $source})-[r]->(t:Actor {key: $target})
WHERE type(r) = $rel AND r.since = $since
SET r.lock_ = true
REMOVE r.lock_
RETURN count(r) AS locked
