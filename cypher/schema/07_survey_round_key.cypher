// Survey rounds are found by key; keys are unique over all proeftuinen.
CREATE CONSTRAINT survey_round_key IF NOT EXISTS FOR (r:SurveyRound) REQUIRE r.key IS UNIQUE
