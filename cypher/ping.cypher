// Liveness probe: answers 1 when the database accepts queries.
RETURN 1 AS ok
