// Delete every proeftuin, actor, tie and meeting (API keys stay), in batches.
MATCH (n) WHERE n:Proeftuin OR n:Actor OR n:Meeting
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
