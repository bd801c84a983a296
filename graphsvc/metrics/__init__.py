"""Pure network metrics: functions of a networkx graph, documented after their sources
(docs/metrics.md)."""
