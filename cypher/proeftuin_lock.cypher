// Take the write lock of each given proeftuin, in key order, as the first step of a write.
// Neo4j reads committed data and holds a write lock until commit, so writers of one proeftuin
// then run one after the other, and what a write checked ("this key is free", "this actor
// exists") still holds when it commits.  Setting and removing a property takes the lock and
// leaves the node as it was.
UNWIND $keys AS k
MATCH (p:Proeftuin {key: k})
SET p.lock_ = true
REMOVE p.lock_
RETURN count(p) AS locked
