// Every meeting key: attendance rows of an import may point at meetings already stored.
MATCH (m:Meeting)
RETURN m.key AS key
