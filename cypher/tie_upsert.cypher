// Write ties in one batch; identity is (source, target, type, since), the other properties are replaced.
// One static branch per relationship type of the vocabulary (graphsvc/vocabulary.py), not one
// MERGE on a dynamic type $(row.rel): inside one large import transaction a dynamic-type MERGE
// slows down with the size of the transaction state (measured in bench/bench_import.py: 20,000
// ties took minutes, growing per batch), the static ones stay flat.  Returns the number of ties
// written, so a type missing here is noticed (Repository._upsert_ties checks it).
// USING INDEX pins the key lookups to the unique index (without it the planner sometimes
// scans every actor for every row on a full store).
UNWIND $rows AS row
MATCH (s:Actor {key: row.source})
USING INDEX s:Actor(key)
MATCH (t:Actor {key: row.target})
USING INDEX t:Actor(key)
CALL (s, t, row) {
  WITH s, t, row WHERE row.rel = 'KNOWS'
  MERGE (s)-[r:KNOWS {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'COLLABORATES'
  MERGE (s)-[r:COLLABORATES {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'CONTACTS'
  MERGE (s)-[r:CONTACTS {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'ADVISES'
  MERGE (s)-[r:ADVISES {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'SUPPORTS'
  MERGE (s)-[r:SUPPORTS {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'FUNDS'
  MERGE (s)-[r:FUNDS {since: row.since}]->(t)
  SET r = row.props
  RETURN r
  UNION ALL
  WITH s, t, row WHERE row.rel = 'MEMBER_OF'
  MERGE (s)-[r:MEMBER_OF {since: row.since}]->(t)
  SET r = row.props
  RETURN r
}
RETURN count(r) AS ties
