// Actor keys are global and unique (docs/architecture.md §4).
CREATE CONSTRAINT actor_key IF NOT EXISTS FOR (a:Actor) REQUIRE a.key IS UNIQUE
