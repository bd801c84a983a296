"""The HTTP entry point: the app factory (:mod:`.app`), app-scoped services
(:mod:`.services`), authentication and sign-in, security headers, problem responses,
probes, the pages for people and their texts, and the JSON API (:mod:`.api`)."""
