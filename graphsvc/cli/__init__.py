"""The ``graphsvc`` command line: one module per command group, assembled in
:mod:`.main`; errors are printed by :mod:`.errors`."""
