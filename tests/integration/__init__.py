"""Tests of the integration floor (a package, so that module names may repeat across folders)."""
