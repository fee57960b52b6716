# leaps::regsubsets on a CSV, for the live comparison in tests/test_subsets.py.
#   Rscript r_scripts/regsubsets_live.R DATA.csv TARGET METHOD NVMAX
# Prints JSON: per size the terms, rss, rsq, adjr2, cp, bic of summary(regsubsets(TARGET ~ ., ...)).
suppressPackageStartupMessages({library(leaps); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], check.names = FALSE)
fit <- regsubsets(reformulate(".", response = args[2]), data = d, method = args[3], nvmax = as.integer(args[4]))
s <- summary(fit)
w <- s$which[, -1, drop = FALSE]
sizes <- lapply(seq_len(nrow(w)), function(i)
  list(size = as.integer(rownames(w)[i]), terms = as.list(colnames(w)[w[i, ]]), rss = s$rss[i], rsq = s$rsq[i],
       adjr2 = s$adjr2[i], cp = s$cp[i], bic = s$bic[i]))
cat(toJSON(list(sizes = sizes, r_version = R.version.string, leaps_version = as.character(packageVersion("leaps"))),
           auto_unbox = TRUE, digits = NA))
