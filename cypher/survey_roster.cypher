// The actors of a proeftuin as key, kind and name (the survey's list of people and its groups).
MATCH (a:Actor)-[:IN]->(:Proeftuin {key: $proeftuin})
RETURN a.key AS key, a.kind AS kind, a.name AS name
ORDER BY key
