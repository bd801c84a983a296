#!/usr/bin/env Rscript
# Reference values for graphsvc.metrics.brokerage from R's sna::brokerage().
#
# Builds fixed test graphs (the docs/metrics.md §1 worked example, hand-made directed
# and undirected graphs with groups of one and two members, random graphs of
# about 40 actors, a dense graph, isolates, one group, singleton groups), runs
# sna::brokerage() on each and writes tests/reference/sna_brokerage.json, which
# tests/unit/test_brokerage.py reads (so the tests need no R).
#
# Run from the repository root:   Rscript tests/reference/make_sna_brokerage.R
# Needs the Debian packages r-cran-sna and r-cran-jsonlite.
#
# Undirected graphs are given to sna as a symmetric adjacency matrix, which sna
# reads as two arcs per edge (brokerage() has no gmode argument).

suppressPackageStartupMessages({
  library(sna)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_path <- file.path(dirname(normalizePath(script)), "sna_brokerage.json")

# A case: node names, their groups, an edge list (two-column character matrix).
make_case <- function(name, directed, nodes, groups, edges, note) {
  N <- length(nodes)
  mat <- matrix(0, N, N, dimnames = list(nodes, nodes))
  if (NROW(edges) > 0) {
    idx <- cbind(match(edges[, 1], nodes), match(edges[, 2], nodes))
    stopifnot(!anyNA(idx), all(idx[, 1] != idx[, 2]))
    mat[idx] <- 1
    if (!directed) mat[idx[, 2:1, drop = FALSE]] <- 1
  }
  b <- brokerage(mat, groups)
  list(
    name = name,
    note = note,
    directed = directed,
    nodes = nodes,
    groups = groups,
    edges = unname(edges),
    arcs = sum(mat),
    density = sum(mat) / (N * (N - 1)),
    raw_nli = unname(b$raw.nli),
    exp_nli = unname(b$exp.nli),
    sd_nli = unname(b$sd.nli),
    z_nli = unname(b$z.nli),
    raw_gli = unname(b$raw.gli),
    exp_gli = unname(b$exp.gli),
    sd_gli = unname(b$sd.gli),
    z_gli = unname(b$z.gli)
  )
}

edges_of <- function(...) {
  e <- c(...)
  matrix(e, ncol = 2, byrow = TRUE)
}

# Random graph: each ordered (or unordered) pair tied with probability p.
random_edges <- function(nodes, p, directed) {
  N <- length(nodes)
  keep <- matrix(runif(N * N) < p, N, N)
  diag(keep) <- FALSE
  if (!directed) keep[lower.tri(keep)] <- FALSE
  w <- which(keep, arr.ind = TRUE)
  w <- w[order(w[, 1], w[, 2]), , drop = FALSE]
  matrix(nodes[w], ncol = 2)
}

cases <- list()

# 1. docs/metrics.md §1 worked example.
cases[[length(cases) + 1]] <- make_case(
  "worked_example", TRUE,
  c("a1", "a2", "a3", "b1", "b2", "c1"),
  c("A", "A", "A", "B", "B", "C"),
  edges_of("a1", "a2", "a2", "a3", "a2", "b1", "b1", "a3", "a1", "b1",
           "b1", "b2", "c1", "b1", "b2", "c1", "a3", "a1"),
  "docs/metrics.md §1 worked example"
)

# 2./3. Hand-made graph: four groups of sizes 4, 3, 2 and 1, reciprocal arcs,
# closed and open two-paths of every role.
small_nodes <- c("r1", "r2", "r3", "r4", "o1", "o2", "o3", "f1", "f2", "i1")
small_groups <- c("resident", "resident", "resident", "resident",
                  "official", "official", "official", "funder", "funder", "initiative")
small_edges <- edges_of(
  "r1", "r2", "r2", "r1", "r2", "r3", "r3", "r4", "r4", "r1", "r1", "o1",
  "o1", "o2", "o2", "o3", "o3", "o1", "o1", "r3", "o2", "f1", "f1", "f2",
  "f2", "i1", "i1", "r2", "i1", "o3", "f1", "r4", "r4", "f1", "o3", "i1",
  "f2", "o2", "r3", "o2"
)
cases[[length(cases) + 1]] <- make_case(
  "small_groups_directed", TRUE, small_nodes, small_groups, small_edges,
  "hand-made; groups of 4, 3, 2 and 1 members; reciprocal arcs"
)
cases[[length(cases) + 1]] <- make_case(
  "small_groups_undirected", FALSE, small_nodes, small_groups,
  unique(t(apply(small_edges, 1, sort))),
  "the same ties read as undirected edges"
)

# 4./5. Random graphs of 40 actors, five groups of sizes 1, 2, 7, 12, 18.
set.seed(20240611)
rnodes <- sprintf("v%02d", 1:40)
rgroups <- sample(rep(c("g1", "g2", "g7", "g12", "g18"), c(1, 2, 7, 12, 18)))
cases[[length(cases) + 1]] <- make_case(
  "random_directed_40", TRUE, rnodes, rgroups, random_edges(rnodes, 0.08, TRUE),
  "40 actors, arc probability 0.08, groups of 1, 2, 7, 12, 18"
)
cases[[length(cases) + 1]] <- make_case(
  "random_undirected_40", FALSE, rnodes, rgroups, random_edges(rnodes, 0.1, FALSE),
  "40 actors, edge probability 0.1, groups of 1, 2, 7, 12, 18"
)

# 6. Dense directed graph: network-level variance formulas near d = 0.75.
dnodes <- sprintf("d%02d", 1:14)
dgroups <- rep(c("x", "y", "z", "w"), c(6, 4, 3, 1))
cases[[length(cases) + 1]] <- make_case(
  "dense_directed", TRUE, dnodes, dgroups, random_edges(dnodes, 0.75, TRUE),
  "14 actors, arc probability 0.75"
)

# 7. Isolates and a group whose only member is an isolate.
cases[[length(cases) + 1]] <- make_case(
  "isolates", TRUE,
  c("p", "q", "s", "t", "u", "lonely1", "lonely2"),
  c("A", "A", "B", "B", "C", "A", "D"),
  edges_of("p", "s", "s", "q", "q", "u", "u", "t", "t", "p"),
  "a directed 5-cycle through three groups plus two isolates"
)

# 8. One group only: every brokerage is coordination.
onodes <- sprintf("n%02d", 1:12)
cases[[length(cases) + 1]] <- make_case(
  "one_group", TRUE, onodes, rep("all", 12), random_edges(onodes, 0.25, TRUE),
  "12 actors in one group"
)

# 9. Every actor its own group: only liaison is possible.
snodes <- sprintf("s%02d", 1:12)
cases[[length(cases) + 1]] <- make_case(
  "singleton_groups", TRUE, snodes, snodes, random_edges(snodes, 0.25, TRUE),
  "12 actors, each its own group"
)

# 10. Many groups, undirected, interleaved labels.
mnodes <- sprintf("m%02d", 1:30)
mgroups <- sample(rep(sprintf("k%d", 1:8), c(1, 1, 2, 2, 3, 5, 7, 9)))
cases[[length(cases) + 1]] <- make_case(
  "many_groups_undirected", FALSE, mnodes, mgroups, random_edges(mnodes, 0.15, FALSE),
  "30 actors in 8 groups of sizes 1 to 9"
)

out <- list(
  generator = "tests/reference/make_sna_brokerage.R",
  r_version = R.version.string,
  sna_version = as.character(packageVersion("sna")),
  columns = c("w_I", "w_O", "b_IO", "b_OI", "b_O", "t"),
  note = paste("Matrices are row-major, rows in the order of 'nodes'.",
               "NaN (sna's z where the variance is 0) is written as null."),
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), out_path)
cat("wrote", out_path, "with", length(cases), "cases\n")
