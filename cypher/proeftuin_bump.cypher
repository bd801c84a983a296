// Increase the version of every given proeftuin; runs in the transaction of the write it marks.
UNWIND $keys AS k
MATCH (p:Proeftuin {key: k})
SET p.version = p.version + 1
RETURN p.key AS key, p.version AS version
