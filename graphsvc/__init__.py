"""graphsvc: the relationship-network service for resident initiatives, municipalities and funds.

The package is layered; each subpackage holds one idea and imports only from the
floors below it (see docs/architecture.md):

- ``web`` and ``cli``: the entry points (HTTP pages and API; the command line);
- ``analysis`` and ``transfer``: services (store -> analysis graph -> metrics and maps;
  files in and out);
- ``store``: Neo4j, the only importer of the driver;
- ``metrics`` and the top-level ``visualize`` package: pure functions;
- ``config``, ``errors``, ``vocabulary``, ``dataset``: the ground floor.

The app factory is ``graphsvc.web.app.create_app``.
"""
