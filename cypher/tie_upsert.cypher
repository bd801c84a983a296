// Write ties in one batch; identity is (source, target, type, since), the other properties are replaced.
UNWIND $rows AS row
MATCH (s:Actor {key: row.source})
MATCH (t:Actor {key: row.target})
MERGE (s)-[r:$(row.rel) {since: row.since}]->(t)
SET r = row.props
RETURN count(r) AS ties
