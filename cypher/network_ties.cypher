// Ties among the given actors, as plain values (no node objects: cheaper to read).
UNWIND $keys AS k
MATCH (s:Actor {key: k})-[r]->(t:Actor)
WHERE t.key IN $keys
RETURN s.key AS source, t.key AS target, type(r) AS rel, properties(r) AS props
