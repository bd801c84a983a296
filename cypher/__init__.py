"""Cypher files, one named query per file (loaded by graphsvc.cypher)."""
