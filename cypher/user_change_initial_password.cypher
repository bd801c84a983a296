// The local server's first start on a store made without authentication: the user
// neo4j changes Neo4j's initial password (neo4j) to the one graphsvc made (system database).
ALTER CURRENT USER SET PASSWORD FROM $old TO $new
