// Map layouts (the national one) are found by key; unique, so concurrent first saves MERGE one node.
CREATE CONSTRAINT layout_key IF NOT EXISTS FOR (l:Layout) REQUIRE l.key IS UNIQUE
