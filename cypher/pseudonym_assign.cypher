// Store pseudonyms on residents' IN relationships (one row per actor and proeftuin); the proeftuin's version is not touched.
UNWIND $rows AS row
MATCH (:Actor {key: row.key})-[r:IN]->(:Proeftuin {key: row.proeftuin})
SET r.pseudonym = row.pseudonym
RETURN count(r) AS assigned
