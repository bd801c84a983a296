"""The Maven file that fetches the local Neo4j server (see graphsvc.store.launcher)."""
