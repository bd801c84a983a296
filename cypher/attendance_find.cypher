// Which of the given (meeting, actor) pairs are already recorded.
UNWIND $rows AS row
MATCH (:Actor {key: row.actor})-[:ATTENDED]->(:Meeting {key: row.meeting})
RETURN row.meeting AS meeting, row.actor AS actor
