// Proposed people of a survey have unique ids.
CREATE CONSTRAINT survey_proposal_id IF NOT EXISTS FOR (x:SurveyProposal) REQUIRE x.id IS UNIQUE
