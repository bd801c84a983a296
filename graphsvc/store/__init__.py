"""The store: Neo4j and nothing above it.

The only package that imports the ``neo4j`` driver.  Its modules:

- :mod:`~graphsvc.store.repository`: the facade :class:`Repository` (one per
  app), whose attributes are the aggregates below, and ``connect(settings)``;
- :mod:`~graphsvc.store.driver`: the driver's lifecycle, read (READ access) and
  write (WRITE access, proeftuin locks) transactions, retries, and the one
  translation of driver errors into :mod:`graphsvc.errors`;
- :mod:`~graphsvc.store.proeftuinen`: proeftuinen and the version bump of every write;
- :mod:`~graphsvc.store.actors`, :mod:`~graphsvc.store.ties`,
  :mod:`~graphsvc.store.meetings` (with attendance), :mod:`~graphsvc.store.api_keys`:
  one aggregate each;
- :mod:`~graphsvc.store.placements`: pseudonyms, stored map positions, map stamps;
- :mod:`~graphsvc.store.importing`: the import writer (plan, then a batched
  write of a dataset in one transaction);
- :mod:`~graphsvc.store.network`: the network reader (rows for analysis graphs and exports);
- :mod:`~graphsvc.store.properties`: conversions between dataset values and stored properties;
- :mod:`~graphsvc.store.queries`: the loader of the Cypher files in ``cypher/``;
- :mod:`~graphsvc.store.launcher`: a local Neo4j started from Maven jars.
"""
