"""Demo data: eight fictional proeftuinen in the import format."""
