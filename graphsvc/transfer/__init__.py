"""Files in and out: the file formats (:mod:`.fileformats`), all-or-nothing imports
(:mod:`.importer`), exports (:mod:`.exporter`) and the demo seeds (:mod:`.seeding`)."""
