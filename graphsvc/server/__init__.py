"""The Maven file that fetches the local Neo4j server (see graphsvc.neo4j_local)."""
