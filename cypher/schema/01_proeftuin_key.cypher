// Proeftuin keys are unique.
CREATE CONSTRAINT proeftuin_key IF NOT EXISTS FOR (p:Proeftuin) REQUIRE p.key IS UNIQUE
