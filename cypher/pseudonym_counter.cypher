// Move each proeftuin's pseudonym counter past the numbers just handed out, so that no number is ever given twice.
UNWIND $counters AS c
MATCH (p:Proeftuin {key: c.key})
SET p.pseudonym_next = c.next
RETURN count(p) AS updated
