// Stored positions on the national map: the PLACED_IN relationships to the Layout node 'national'.
MATCH (a:Actor)-[r:PLACED_IN]->(:Layout {key: 'national'})
RETURN a.key AS key, r.x AS x, r.y AS y
ORDER BY key
