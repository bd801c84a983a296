// The stored presentation of one proeftuin's map: each actor's pseudonym and position, kept on its IN relationship.
MATCH (a:Actor)-[r:IN]->(:Proeftuin {key: $proeftuin})
RETURN a.key AS key, a.kind AS kind, r.pseudonym AS pseudonym, r.x AS x, r.y AS y
ORDER BY key
