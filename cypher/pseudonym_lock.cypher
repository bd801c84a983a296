// Lock the given proeftuinen for pseudonym assignment (setting a property takes the node's write lock until commit) and return each one's next unused number.
MATCH (p:Proeftuin)
WHERE p.key IN $keys
SET p.pseudonym_next = coalesce(p.pseudonym_next, 1)
RETURN p.key AS key, p.pseudonym_next AS next
ORDER BY key
