"""The store: Neo4j and nothing above it.

The only package that imports the ``neo4j`` driver.  It holds the driver's lifecycle,
read and write transactions with retries, the queries of ``cypher/`` (loaded by
:mod:`graphsvc.store.queries`) and the local Neo4j launcher.
"""
