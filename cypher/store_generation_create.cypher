// The store's generation: a random id made once, with the schema; every cache key and ETag includes it.
MERGE (s:Store {key: 'store'})
ON CREATE SET s.generation = randomUUID()
RETURN s.generation AS generation
