# StepwiseResult.save_rds(): the final model of a stepwise selection as R's step() returns it, an
# lm/glm fit whose $anova is the path. The formula text has passed statprune's formula parser
# (statprune/engines/stepwise/formula.py: R's grammar, whitelisted functions), the data come as a data.frame.

sps_family <- function(family, link) {
  fam <- get(family, mode = "function", envir = asNamespace("stats"))
  if (is.null(link)) fam() else fam(link = link)
}

sps_step_fit <- function(data, formula_text, family, link, anova, weights_col, offset_col, theta) {
  d <- data
  fml <- stats::as.formula(formula_text, env = globalenv())
  w <- if (is.null(weights_col)) NULL else d[[weights_col]]
  off <- if (is.null(offset_col)) NULL else d[[offset_col]]
  args <- list(formula = fml, data = quote(d))
  if (!is.null(weights_col)) args$weights <- as.name(weights_col)
  if (!is.null(offset_col)) args$offset <- as.name(offset_col)
  vals <- list(formula = fml, data = d)
  if (!is.null(w)) vals$weights <- w
  if (!is.null(off)) vals$offset <- off
  if (family == "gaussian" && (is.null(link) || link == "identity")) {
    fit <- do.call(stats::lm, vals)
    fit$call <- as.call(c(as.name("lm"), args))
  } else if (family == "glm.nb") {
    vals$offset <- NULL
    fit <- do.call(MASS::glm.nb, vals)
    fit$call <- as.call(c(list(quote(MASS::glm.nb)), args))
  } else if (family == "negative.binomial") {
    fit <- do.call(stats::glm, c(vals, list(family = MASS::negative.binomial(theta))))
    fit$call <- as.call(c(as.name("glm"), args, list(family = call("negative.binomial", theta))))
  } else {
    fit <- do.call(stats::glm, c(vals, list(family = sps_family(family, link))))
    famcall <- if (is.null(link)) as.name(family) else call(family, link = link)
    fit$call <- as.call(c(as.name("glm"), args, list(family = famcall)))
  }
  a <- as.data.frame(anova, stringsAsFactors = FALSE)
  names(a) <- c("Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC")
  a$Step <- as.character(a$Step)
  fit$anova <- a
  fit
}

sps_step_rds <- function(...) serialize(sps_step_fit(...), NULL, xdr = TRUE, version = 3)
