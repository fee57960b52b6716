# 4. The R check of a pruned neural network: twin of 04_prune_nn.py.
# Run: Rscript vignettes/04_prune_nn.R [OUTDIR]   (after the Python vignette wrote the weights there)
# Recomputes the network's test-set predictions from its exported weights with base R
# matrix algebra (ReLU hidden layer, logistic output, as scikit-learn's MLPClassifier),
# and prints the same RESULT lines as the Python vignette.
suppressPackageStartupMessages(library(MASS))

result <- function(name, value) cat(sprintf("RESULT %s=%.10g\n", name, as.numeric(value)))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else file.path(dirname(tempdir()), "statprune-vignettes")
if (!file.exists(file.path(outdir, "nn_pruned_W0.csv")))
  stop("no weights in ", outdir, ": run vignettes/04_prune_nn.py first")

pima <- rbind(Pima.tr, Pima.te)
X <- as.matrix(pima[, setdiff(names(pima), "type")])
y <- as.numeric(pima$type == "Yes")
train <- 1:200; test <- 201:nrow(pima)
mu <- colMeans(X[train, ]); s <- apply(X[train, ], 2, sd)
Z <- sweep(sweep(X, 2, mu), 2, s, "/")

read_w <- function(tag, k) as.matrix(read.csv(file.path(outdir, sprintf("nn_%s_W%d.csv", tag, k)), header = FALSE))
read_b <- function(tag, k) read.csv(file.path(outdir, sprintf("nn_%s_b%d.csv", tag, k)), header = FALSE)[[1]]

forward <- function(tag, Z) {
  h <- Z %*% read_w(tag, 0) + matrix(read_b(tag, 0), nrow(Z), length(read_b(tag, 0)), byrow = TRUE)
  h <- pmax(h, 0)                                   # ReLU
  eta <- h %*% read_w(tag, 1) + read_b(tag, 1)
  as.vector(1 / (1 + exp(-eta)))                    # logistic output
}

metrics <- function(tag) {
  p <- forward(tag, Z[test, ])
  yt <- y[test]
  result(sprintf("%s_accuracy", tag), mean((p > 0.5) == yt))
  result(sprintf("%s_logloss", tag), -mean(yt * log(p) + (1 - yt) * log1p(-p)))
  result(sprintf("%s_mean_prob", tag), mean(p))
  for (i in 1:3) result(sprintf("%s_prob_%d", tag, i), p[i])
}

metrics("dense")
metrics("pruned")
for (k in 0:1) {
  W <- read_w("pruned", k)
  result(sprintf("sparsity_layer%d", k), mean(W == 0))
  result(sprintf("nonzero_layer%d", k), sum(W != 0))
}
