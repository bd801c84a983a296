// Survey invitations are looked up by the hash of their token (one index lookup, no scan).
CREATE CONSTRAINT survey_invitation_hash IF NOT EXISTS FOR (i:SurveyInvitation) REQUIRE i.hash IS UNIQUE
