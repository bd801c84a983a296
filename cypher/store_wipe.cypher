// Delete every proeftuin, actor, tie, meeting and survey (API keys stay), in batches.
MATCH (n) WHERE n:Proeftuin OR n:Actor OR n:Meeting
   OR n:SurveyRound OR n:SurveyInvitation OR n:SurveyProposal
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
