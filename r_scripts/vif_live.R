# car::vif on a CSV, for the live comparison in tests/test_vif.py.
#   Rscript r_scripts/vif_live.R DATA.csv FORMULA [FACTOR_COLUMN...]
# Prints JSON: term, gvif, df, gvif_adj of car::vif(lm(FORMULA, data)) (type = "terms").
suppressPackageStartupMessages({library(car); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], check.names = FALSE)
for (f in args[-(1:2)]) d[[f]] <- factor(d[[f]])
v <- suppressMessages(vif(lm(as.formula(args[2]), data = d)))
terms <- if (is.matrix(v)) lapply(rownames(v), function(t) list(term = t, gvif = v[t, 1], df = v[t, 2], gvif_adj = v[t, 3])) else
  lapply(names(v), function(t) list(term = t, gvif = v[[t]], df = 1, gvif_adj = sqrt(v[[t]])))
cat(toJSON(list(terms = terms, car_version = as.character(packageVersion("car")), r_version = R.version.string),
           auto_unbox = TRUE, digits = NA))
