# Density, reciprocity and the number of ties of a graphsvc GraphML export on one date,
# read with R igraph the way docs/formats.md describes, and with network/sna; prints one
# JSON object.
# Usage: Rscript tests/readers/r/metrics.R lindehoven.graphml 2025-01-01
# Run by tests/integration/test_outside_readers.py (make setup installs R, igraph and sna).
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(igraph))
g <- read_graph(args[1], format = "graphml")
at <- args[2]
until <- E(g)$until
until[is.na(until)] <- ""
keep <- E(g)$type != "member_of" & E(g)$since <= at & (until == "" | at < until)
ties <- sum(keep & !E(g)$reverse)
h <- delete_edges(g, E(g)[!keep])
h <- simplify(h, remove.multiple = TRUE, remove.loops = TRUE)
out <- sprintf(
  '"density": %.17g, "reciprocity": %.17g, "ties": %d',
  edge_density(h, loops = FALSE), reciprocity(h, ignore.loops = TRUE), ties
)
net <- network::network(as_adjacency_matrix(h, sparse = FALSE), directed = TRUE)
out <- paste0(out, sprintf(
  ', "sna_density": %.17g, "sna_reciprocity": %.17g, "sna_actors": %d',
  sna::gden(net), sna::grecip(net, measure = "edgewise"), network::network.size(net)
))
cat("{", out, "}\n", sep = "")
