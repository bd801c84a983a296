// Number of actors of a proeftuin, optionally of one kind (for paging).
MATCH (a:Actor)-[:IN]->(:Proeftuin {key: $proeftuin})
WHERE $kind IS NULL OR a.kind = $kind
RETURN count(a) AS n
