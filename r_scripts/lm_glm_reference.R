#!/usr/bin/env Rscript
# Pure-R reference for statprune.crosscheck's refit rows: lm / glm on a CSV, JSON out.
# Independent of statprune (no bridge code): what an R colleague would type to check
# the statsmodels OLS/GLM numbers of `statprune validate` or crosscheck_glm().
#
# Usage:
#   Rscript r_scripts/lm_glm_reference.R data.csv --target medv [--family gaussian|binomial|poisson]
#       [--columns crim,zn,rm] [--exclude name,name] > r.json
# Predictors: --columns (in that order), else every column but the target and --exclude.
# Character columns become factors with treatment contrasts (levels sorted), as
# model.matrix() does; the model is fitted on that model matrix, so no column name is
# ever pasted into a formula. binomial: the second level (sorted) of the target is 1.
# Output: coefficients, std_errors, p_values (named by model-matrix column), deviance,
# aic, loglik, df_residual, test ("t" or "z"), n, R version.

suppressPackageStartupMessages(library(jsonlite))

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "_args.R"))  # ref_args(): "data.csv --key value ..." -> named list (optparse)
opt <- ref_args("Rscript r_scripts/lm_glm_reference.R data.csv --target Y [options] > r.json",
                list(family = "gaussian, binomial or poisson",
                     columns = "name,name: the predictors, in this order (default: every other column)",
                     exclude = "name,name: columns that are no predictors"),
                defaults = list(family = "gaussian"),
                description = "lm / glm on a CSV (character columns as treatment dummies), JSON out.")
d <- read.csv(opt$data, check.names = FALSE, stringsAsFactors = FALSE)
if (!opt$target %in% names(d)) stop("target column '", opt$target, "' not found")
split <- function(s) if (is.null(s) || !nzchar(s)) character(0) else strsplit(s, ",", fixed = TRUE)[[1]]
cols <- split(opt$columns)
if (!length(cols)) cols <- setdiff(names(d), c(opt$target, split(opt$exclude)))
missing <- setdiff(cols, names(d))
if (length(missing)) stop("column(s) not found: ", paste(missing, collapse = ", "))

X <- d[, cols, drop = FALSE]
for (nm in names(X)) if (is.character(X[[nm]])) X[[nm]] <- factor(X[[nm]], levels = sort(unique(X[[nm]]), method = "radix"))
mm <- model.matrix(~ ., data = X)  # intercept + treatment dummies, R's own naming
yy <- d[[opt$target]]
family <- opt$family
if (family == "binomial") {
  lev <- sort(unique(as.character(yy)), method = "radix")
  if (length(lev) != 2L) stop("binomial needs a target with 2 classes")
  y <- as.numeric(as.character(yy) == lev[2])
} else {
  y <- as.numeric(yy)
}

if (family == "gaussian") {
  fit <- lm(y ~ mm - 1)
  test <- "t"
} else {
  fam <- switch(family, binomial = binomial(), poisson = poisson(), stop("unknown family ", family))
  ctl <- glm.control(epsilon = 1e-14, maxit = 100)
  fit <- glm(y ~ mm - 1, family = fam, control = ctl)
  # one more IRLS pass from the estimate: standard errors at the estimate's weights
  fit <- glm(y ~ mm - 1, family = fam, control = ctl, start = coef(fit))
  test <- "z"
}
tab <- summary(fit)$coefficients
nm <- colnames(mm)
est <- setNames(rep(NA_real_, length(nm)), nm); se <- est; pv <- est
idx <- match(sub("^mm", "", rownames(tab)), nm)
est[idx] <- tab[, 1]; se[idx] <- tab[, 2]; pv[idx] <- tab[, 4]
out <- list(
  family = family, n = nrow(mm), terms = nm,
  coefficients = as.list(est), std_errors = as.list(se), p_values = as.list(pv),
  deviance = deviance(fit), aic = AIC(fit), loglik = as.numeric(logLik(fit)),
  df_residual = fit$df.residual, test = test,
  r_version = R.version.string
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), "\n")
