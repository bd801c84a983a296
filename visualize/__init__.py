"""Map rendering: analysis graph + metrics + options -> one self-contained HTML page."""
