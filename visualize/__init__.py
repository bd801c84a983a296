"""Map rendering: analysis graph + metrics + options -> one self-contained HTML page.

- :mod:`visualize.render`: ``render_map(ties, actors, positions, MapOptions) -> str``, the
  offline, bilingual, interactive map (pyvis builds the vis-network data, our own template
  inlines every script and style), and ``render_pyvis_default`` for the benchmark;
- :mod:`visualize.layout`: ``compute_layout`` and ``extend_layout``, positions computed once
  and saved so the map looks the same at the next meeting;
- :mod:`visualize.style`: colour and shape per actor kind, line per tie type (Okabe–Ito);
- :mod:`visualize.i18n`: every word of the page in Dutch and English.
"""
