// A new generation of the store (after a wipe or a restore of everything): no cached response or ETag of before stays valid.
MERGE (s:Store {key: 'store'})
SET s.generation = randomUUID()
RETURN s.generation AS generation
