// Actor keys are global and unique (DESIGN.md §4).
CREATE CONSTRAINT actor_key IF NOT EXISTS FOR (a:Actor) REQUIRE a.key IS UNIQUE
