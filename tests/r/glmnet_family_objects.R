# cv.glmnet with R family objects (issue 13): the reference for tests/test_lasso_family_objects.py.
# Usage: Rscript tests/r/glmnet_family_objects.R CASE CSV_OUT [RDS_OUT]
# Data: datasets::mtcars (R's own) for Gamma / inverse.gaussian, glmnet's data(BinomialExample) and
# data(PoissonExample) for the binomial / poisson / quasipoisson / negative.binomial objects. The fold
# ids are drawn once (set.seed(1), cv.glmnet's own sample(rep(seq(5), length = n))) and written
# to the CSV (column foldid), so statprune fits the same folds. Prints JSON (digits = NA).
suppressPackageStartupMessages(library(glmnet))
a <- commandArgs(TRUE)
case <- a[1]
glmnet_data <- function(name) { e <- new.env(); data(list = name, package = "glmnet", envir = e); e[[name]] }
if (startsWith(case, "gamma") || startsWith(case, "invgauss")) {
  x <- as.matrix(datasets::mtcars[, c("cyl", "disp", "hp", "drat", "wt", "qsec")])
  y <- datasets::mtcars$mpg
} else {
  d <- glmnet_data(if (case %in% c("probit", "cloglog")) "BinomialExample" else "PoissonExample")
  x <- d$x
  colnames(x) <- paste0("V", seq_len(ncol(x)))
  y <- d$y
}
fam <- switch(case,
  gamma = Gamma(), gamma_log = Gamma(link = "log"), gamma_identity = Gamma(link = "identity"),
  invgauss = inverse.gaussian(), invgauss_log = inverse.gaussian(link = "log"),
  probit = binomial(link = "probit"), cloglog = binomial(link = "cloglog"),
  pid = poisson(link = "identity"), qp = quasipoisson(), nb = MASS::negative.binomial(theta = 3),
  stop("unknown case ", case))
set.seed(1)
foldid <- sample(rep(seq(5), length = nrow(x)))
f <- cv.glmnet(x, y, family = fam, foldid = foldid)
if (length(a) >= 3) saveRDS(f, a[3])
write.csv(data.frame(x, y = y, foldid = foldid), a[2], row.names = FALSE)
nx <- x[1:10, ]
cat(jsonlite::toJSON(list(
  family = fam$family, link = fam$link,
  lambda = f$lambda, cvm = unname(f$cvm), lambda_min = f$lambda.min, lambda_1se = f$lambda.1se,
  coef = as.numeric(coef(f, s = "lambda.min")),
  coef_1se = as.numeric(coef(f, s = "lambda.1se")),
  link_pred = as.numeric(predict(f, newx = nx, s = "lambda.min", type = "link")),
  response = as.numeric(predict(f, newx = nx, s = "lambda.min", type = "response")),
  response_1se = as.numeric(predict(f, newx = nx, s = "lambda.1se", type = "response")),
  versions = list(R = R.version.string, glmnet = as.character(packageVersion("glmnet")),
                  MASS = as.character(packageVersion("MASS")))), digits = NA, auto_unbox = TRUE))
