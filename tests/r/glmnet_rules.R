#!/usr/bin/env Rscript
# glmnet's own internal rules on given inputs, for tests/test_glmnet_rules.py:
#   Rscript tests/r/glmnet_rules.R in.json      -> JSON on stdout
# in.json: {"interp": [{"lambda": [...], "s": [...]}, ...],
#           "cv": [{"cvraw": [[...]] (K x L, null = NA), "weights": [...], "lambda": [...], "name": "..."}, ...],
#           "levels": [{"kind": "numeric"|"character"|"logical"|"factor", "values": [...], "levels": [...]}, ...]}
# Every R function called is glmnet's own (glmnet:::lambda.interp, glmnet:::cvstats, glmnet:::getOptcv.glmnet)
# or base R's factor(); nothing is re-implemented here.
suppressPackageStartupMessages({ library(glmnet); library(jsonlite) })
inp <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
num <- function(v) vapply(v, function(a) if (is.null(a)) NA_real_ else as.numeric(a), 0)
interp <- lapply(inp$interp, function(cs) {
  r <- glmnet:::lambda.interp(num(cs$lambda), num(cs$s))
  list(left = r$left - 1L, right = r$right - 1L, frac = r$frac)
})
cv <- lapply(inp$cv, function(cs) {
  raw <- do.call(rbind, lapply(cs$cvraw, num))
  K <- nrow(raw)
  stuff <- list(cvraw = raw, weights = num(cs$weights), N = rep(K, ncol(raw)))
  st <- glmnet:::cvstats(stuff, foldid = seq_len(K), nfolds = K, lambda = num(cs$lambda),
                         nz = rep(0, ncol(raw)), grouped = FALSE)
  opt <- glmnet:::getOptcv.glmnet(st$lambda, st$cvm, st$cvsd, cs$name)
  list(lambda = st$lambda, cvm = st$cvm, cvsd = st$cvsd, lambda_min = opt$lambda.min,
       lambda_1se = opt$lambda.1se, index_min = opt$index[1] - 1L, index_1se = opt$index[2] - 1L)
})
levs <- lapply(inp$levels, function(cs) {
  v <- unlist(cs$values)
  y <- switch(cs$kind, numeric = as.numeric(v), character = as.character(v), logical = as.logical(v),
              factor = factor(as.character(v), levels = unlist(cs$levels)))
  levels(factor(y))
})
cat(toJSON(list(interp = interp, cv = cv, levels = levs, locale = Sys.getlocale("LC_COLLATE"),
                glmnet = as.character(packageVersion("glmnet"))), digits = NA, auto_unbox = FALSE, null = "null", na = "null"))
