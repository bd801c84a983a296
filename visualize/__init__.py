"""Map rendering: a network + metrics + options + a theme -> one self-contained HTML page.

A pure rendering library: it knows how to draw a network, not what the network is about,
and imports nothing of the service that uses it.

- :mod:`visualize.theme`: the input contract, ``MapTheme``: the caller's actor kinds and tie
  types (labels in Dutch and English, tie sentences and direction, colour/shape/line),
  brokerage roles (names and plain-language explanations) and page words it replaces;
- :mod:`visualize.render`: ``render_map(ties, actors, positions, MapOptions, MapTheme) -> str``,
  the offline, bilingual, interactive map (our own template inlines every script and style),
  and ``render_pyvis_default`` for the benchmark;
- :mod:`visualize.inputs`: the checks of what ``render_map`` is given (dates, numbers, actors,
  ties, groups, introductions), each error naming the item and field;
- :mod:`visualize.network`: the vis-network nodes, edges and options, built with pyvis;
- :mod:`visualize.layout`: ``compute_layout`` and ``extend_layout``, positions computed once
  and saved so the map looks the same at the next meeting;
- :mod:`visualize.style`: the style types, the Okabe–Ito palette, the marks, legend swatches;
- :mod:`visualize.i18n`: every word of the page itself in Dutch and English, and the
  catalogue the page script switches language with.
"""
