# Exports glmnet's own example data sets to tests/data/ for the certified crosscheck
# (issue 14): QuickStartExample (gaussian), BinomialExample, PoissonExample and
# MultinomialExample, each with a fixed fold column `fold` (1..10) drawn in R.
# Usage: Rscript r_scripts/export_glmnet_examples.R [outdir]
# Values are written with 17 significant digits so they round-trip exactly; the
# glmnet and R versions are recorded in <outdir>/glmnet_examples_versions.txt.
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args)) args[[1]] else file.path("tests", "data")
suppressPackageStartupMessages(library(glmnet))
write_exact <- function(df, name) {
  num <- vapply(df, is.numeric, logical(1))
  df[num] <- lapply(df[num], function(v) if (is.integer(v)) v else sprintf("%.17g", v))
  utils::write.csv(df, file.path(outdir, paste0(name, ".csv")), row.names = FALSE,
                   quote = which(!num))
}
FOLD_SEED <- 14L
with_fold <- function(x, y, yname) {
  x <- as.matrix(x)
  colnames(x) <- paste0("V", seq_len(ncol(x)))
  df <- data.frame(x, check.names = FALSE)
  df[[yname]] <- y
  set.seed(FOLD_SEED)
  df$fold <- sample(rep(1:10, length.out = nrow(df)))
  df
}
e <- new.env()
data(QuickStartExample, package = "glmnet", envir = e)
write_exact(with_fold(e$QuickStartExample$x, as.numeric(e$QuickStartExample$y), "y"), "glmnet_quickstart")
data(BinomialExample, package = "glmnet", envir = e)
write_exact(with_fold(e$BinomialExample$x, as.integer(e$BinomialExample$y), "y"), "glmnet_binomial_example")
data(PoissonExample, package = "glmnet", envir = e)
write_exact(with_fold(e$PoissonExample$x, as.integer(e$PoissonExample$y), "y"), "glmnet_poisson_example")
data(MultinomialExample, package = "glmnet", envir = e)
write_exact(with_fold(e$MultinomialExample$x, paste0("c", e$MultinomialExample$y), "y"), "glmnet_multinomial_example")
writeLines(c(R.version.string, paste("glmnet", as.character(packageVersion("glmnet"))),
             paste("fold seed", FOLD_SEED)),
           file.path(outdir, "glmnet_examples_versions.txt"))
