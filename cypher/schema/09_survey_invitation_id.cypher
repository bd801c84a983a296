// Survey invitations and proposals have unique public ids.
CREATE CONSTRAINT survey_invitation_id IF NOT EXISTS FOR (i:SurveyInvitation) REQUIRE i.id IS UNIQUE
