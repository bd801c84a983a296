"""From the store to answers: the analysis graph and its cache (:mod:`.graph`), the
metric responses of the API and the pages (:mod:`.responses`), and rendered maps
(:mod:`.maps`)."""
