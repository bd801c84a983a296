// Number of meetings of a proeftuin (for paging).
MATCH (m:Meeting)-[:IN]->(:Proeftuin {key: $proeftuin})
RETURN count(m) AS n
