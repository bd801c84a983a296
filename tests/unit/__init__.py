"""Tests of the unit floor (a package, so that module names may repeat across folders)."""
