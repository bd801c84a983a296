// Meeting keys are unique.
CREATE CONSTRAINT meeting_key IF NOT EXISTS FOR (m:Meeting) REQUIRE m.key IS UNIQUE
