# Reference traces of R's step() / drop1() / add1() for statprune's stepwise parity tests.
#
# Pure R (stats + MASS + jsonlite); no statprune code. Usage:
#   Rscript r_scripts/step_reference.R --case swiss_backward      # one named case -> JSON on stdout
#   Rscript r_scripts/step_reference.R --case all                 # every named case
#   Rscript r_scripts/step_reference.R --list                     # names of the cases
#   Rscript r_scripts/step_reference.R --data swiss --formula "Fertility ~ ." \
#       [--family gaussian|binomial|poisson|Gamma] [--direction backward|forward|both] \
#       [--criterion aic|bic|pvalue] [--k 2] [--lower "~ Examination"] [--upper "~ ."] \
#       [--start "~ 1"] [--threshold 0.05] [--test F|Chisq] [--steps 1000] [--no_drop1 1]
# The output records `seconds`: the elapsed time of step() (or of the p-value loop) alone.
# --data is an R data set name known below (swiss, mtcars, bwt, quine, warpbreaks, Boston, ...)
# or a CSV file (character columns become factors, as read.csv(stringsAsFactors = TRUE)).
#
# Semantics mirrored by statprune.stepwise():
# * aic/bic: step(fit, scope = list(lower, upper), direction, k, steps, trace = 0) where fit is the
#   starting model (the formula for backward/both, the lower scope, default ~ 1, for forward);
#   "." in --lower/--upper means the formula's terms (update.formula), the formula's "." the data columns.
# * pvalue backward: repeat { drop1(fit, drop.scope(fit, lower), test) ; a term with Df == 0 (aliased)
#   is dropped first; else drop the term with the largest p-value (first on ties) while p > threshold }.
# * pvalue forward: repeat { add1(fit, add.scope(fit, upper), test) ; add the smallest p (< threshold) }.

suppressPackageStartupMessages({
  library(MASS)
  library(jsonlite)
})

sr_data <- function(name) {
  if (file.exists(name)) return(read.csv(name, stringsAsFactors = TRUE, check.names = FALSE))
  switch(name,
    swiss = datasets::swiss,
    mtcars = datasets::mtcars,
    warpbreaks = datasets::warpbreaks,
    quine = MASS::quine,
    Boston = MASS::Boston,
    boston = MASS::Boston,
    birthwt = MASS::birthwt,
    # the factor version of birthwt used in MASS's examples (?birthwt, stepAIC)
    bwt = with(MASS::birthwt, {
      race <- factor(race, labels = c("white", "black", "other"))
      ptd <- factor(ptl > 0)
      ftv <- factor(ftv)
      levels(ftv)[-(1:2)] <- "2+"
      data.frame(low = factor(low), age, lwt, race, smoke = (smoke > 0),
                 ptd, ht = (ht > 0), ui = (ui > 0), ftv)
    }),
    # an exactly collinear column: Agri2 = 2 * Agriculture (aliased, NA coefficient)
    swiss_alias = transform(datasets::swiss, Agri2 = 2 * Agriculture),
    # perfect separation: y is 1 exactly when x > 10
    separation = data.frame(x = 1:20, z = ((1:20 * 7) %% 11) / 11, y = as.integer(1:20 > 10)),
    # example(glm) / example(drop1): Dobson (1990), Poisson counts
    dobson = data.frame(counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12), outcome = gl(3, 1, 9), treatment = gl(3, 3)),
    # example(predict.glm): the budworm data (successes out of 20), with proportion and trials columns
    budworm = data.frame(ldose = rep(0:5, 2), numdead = c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16),
                         numalive = 20 - c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16),
                         prop = c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16) / 20, total = 20,
                         sex = factor(rep(c("M", "F"), c(6, 6)))),
    anorexia = MASS::anorexia,   # ?glm: the offset example of Venables & Ripley (2002, p. 189)
    housing = MASS::housing,     # ?dropterm: Sat is an ordered factor (contr.poly)
    # MASS::Cars93 with its text columns as read.csv(stringsAsFactors = TRUE) would make them: the level
    # order is R's sort() under the running LC_COLLATE (Origin: "USA" < "non-USA" under C, not in en_US)
    cars93 = {
      d <- MASS::Cars93[, c("Price", "Origin", "Type", "AirBags", "DriveTrain", "Horsepower", "Weight",
                            "Man.trans.avail")]
      d[] <- lapply(d, function(x) if (is.factor(x)) factor(as.character(x)) else x)
      d
    },
    # MASS's ?birthwt example, with a weights column (the number of prior pregnancies + 1) for weighted fits
    swiss_w = transform(datasets::swiss, w = Examination / 10),
    stop("unknown data set '", name, "'")
  )
}

sr_cases <- function() {
  sw_upper <- "~ Agriculture + Examination + Education + Catholic + Infant.Mortality"
  list(
    swiss_backward = list(data = "swiss", formula = "Fertility ~ .", direction = "backward"),
    swiss_forward = list(data = "swiss", formula = "Fertility ~ .", direction = "forward"),
    swiss_both_null = list(data = "swiss", formula = "Fertility ~ .", direction = "both", start = "~ 1"),
    swiss_both_full = list(data = "swiss", formula = "Fertility ~ .", direction = "both"),
    swiss_forced = list(data = "swiss", formula = "Fertility ~ .", direction = "backward",
                        lower = "~ Examination"),
    swiss_bic_forward = list(data = "swiss", formula = "Fertility ~ .", direction = "forward",
                             criterion = "bic"),
    mtcars_bic = list(data = "mtcars", formula = "mpg ~ .", direction = "backward", criterion = "bic"),
    mtcars_interaction = list(data = "mtcars", formula = "mpg ~ wt * hp + factor(cyl) + am + qsec",
                              direction = "backward"),
    mtcars_gamma = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat + disp",
                        family = "Gamma", direction = "backward"),
    bwt_logistic = list(data = "bwt", formula = "low ~ .", family = "binomial", direction = "backward"),
    bwt_interactions = list(data = "bwt", formula = "low ~ .", family = "binomial", direction = "both",
                            upper = "~ .^2 + I(scale(age)^2) + I(scale(lwt)^2)"),
    quine_poisson = list(data = "quine", formula = "Days ~ (Eth + Sex + Age + Lrn)^2",
                         family = "poisson", direction = "backward"),
    warpbreaks_poisson = list(data = "warpbreaks", formula = "breaks ~ wool * tension",
                              family = "poisson", direction = "both", start = "~ 1"),
    swiss_alias = list(data = "swiss_alias", formula = "Fertility ~ .", direction = "backward"),
    separation = list(data = "separation", formula = "y ~ x + z", family = "binomial",
                      direction = "backward"),
    boston_pvalue = list(data = "Boston", formula = "medv ~ .", direction = "backward",
                         criterion = "pvalue", threshold = 0.05, test = "F"),
    bwt_pvalue = list(data = "bwt", formula = "low ~ .", family = "binomial", direction = "backward",
                      criterion = "pvalue", threshold = 0.05, test = "Chisq"),
    swiss_pvalue_forward = list(data = "swiss", formula = "Fertility ~ .", direction = "forward",
                                criterion = "pvalue", threshold = 0.05, test = "F"),
    mtcars_no_intercept = list(data = "mtcars", formula = "mpg ~ factor(cyl) + wt + hp + qsec - 1",
                               direction = "backward"),
    mtcars_factor_interaction_both = list(data = "mtcars", direction = "both",
                                          formula = "mpg ~ factor(cyl) * wt + hp + factor(gear)"),
    mtcars_bic_lower = list(data = "mtcars", formula = "mpg ~ .", direction = "both", criterion = "bic",
                            lower = "~ wt + hp"),
    quine_forward_interactions = list(data = "quine", formula = "Days ~ Eth * Sex * Age", family = "poisson",
                                      direction = "forward"),
    quine_k4 = list(data = "quine", formula = "Days ~ .^3", family = "poisson", direction = "backward", k = 4),
    mtcars_gamma_both = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat + disp",
                             family = "Gamma", direction = "both", start = "~ 1"),
    bwt_pvalue_forward = list(data = "bwt", formula = "low ~ .", family = "binomial", direction = "forward",
                              criterion = "pvalue", test = "Chisq"),
    quine_pvalue = list(data = "quine", formula = "Days ~ (Eth + Sex + Age + Lrn)^2", family = "poisson",
                        direction = "backward", criterion = "pvalue", threshold = 0.01, test = "Chisq"),
    # ---- issue 13: weights, offsets, links, cbind, glm.nb, LRT/Rao, ordered factors, poly(), I(), log()
    # example(drop1): drop1(glm.D93, test = "Chisq"), test = "F", add1(glm.D93, ~ outcome*treatment, test = "Rao")
    dobson_drop1_chisq = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                              table = "drop1", test = "Chisq"),
    dobson_drop1_lrt = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                            table = "drop1", test = "LRT"),
    dobson_drop1_f = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                          table = "drop1", test = "F"),
    dobson_drop1_rao = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                            table = "drop1", test = "Rao"),
    dobson_add1_rao = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                           table = "add1", scope = "~ outcome * treatment", test = "Rao"),
    dobson_sqrt = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                       link = "sqrt", direction = "both"),
    dobson_identity = list(data = "dobson", formula = "counts ~ outcome + treatment", family = "poisson",
                           link = "identity", direction = "backward"),
    # a two-column binomial response and non-default links (?predict.glm's budworm)
    budworm_cbind = list(data = "budworm", formula = "cbind(numdead, numalive) ~ sex * ldose", family = "binomial",
                         direction = "both"),
    budworm_probit = list(data = "budworm", formula = "cbind(numdead, numalive) ~ sex * ldose + I(ldose^2)",
                          family = "binomial", link = "probit", direction = "both"),
    budworm_cloglog = list(data = "budworm", formula = "cbind(numdead, numalive) ~ sex * ldose", family = "binomial",
                           link = "cloglog", direction = "backward"),
    budworm_cauchit = list(data = "budworm", formula = "cbind(numdead, numalive) ~ sex * ldose", family = "binomial",
                           link = "cauchit", direction = "backward"),
    budworm_weights = list(data = "budworm", formula = "prop ~ sex * ldose", family = "binomial", weights = "total",
                           direction = "backward"),
    budworm_add1_rao = list(data = "budworm", formula = "cbind(numdead, numalive) ~ ldose", family = "binomial",
                            table = "add1", scope = "~ . + sex + I(ldose^2)", test = "Rao"),
    # offsets: offset() in the formula (?glm) and the offset argument
    anorexia_offset = list(data = "anorexia", formula = "Postwt ~ Prewt + Treat + offset(Prewt)",
                           direction = "backward"),
    anorexia_offset_arg = list(data = "anorexia", formula = "Postwt ~ Prewt * Treat", offset = "Prewt",
                               direction = "both"),
    anorexia_gamma_offset = list(data = "anorexia", formula = "Postwt ~ Prewt * Treat + offset(log(Prewt))",
                                 family = "Gamma", link = "log", direction = "backward"),
    # weighted least squares
    swiss_weights = list(data = "swiss_w", formula = "Fertility ~ Agriculture + Education + Catholic + Infant.Mortality",
                         weights = "w", direction = "both"),
    swiss_weights_drop1 = list(data = "swiss_w", formula = "Fertility ~ Agriculture + Education + Catholic",
                               weights = "w", table = "drop1", test = "F"),
    # every other family/link of glm
    mtcars_gamma_log = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat", family = "Gamma",
                            link = "log", direction = "both"),
    mtcars_gamma_identity = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am", family = "Gamma",
                                 link = "identity", direction = "backward"),
    mtcars_invgauss = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat", family = "inverse.gaussian",
                           direction = "backward"),
    mtcars_invgauss_log = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat",
                               family = "inverse.gaussian", link = "log", direction = "both"),
    mtcars_invgauss_inverse = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am",
                                   family = "inverse.gaussian", link = "inverse", direction = "backward"),
    mtcars_gaussian_log = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am + drat", family = "gaussian",
                               link = "log", direction = "backward"),
    mtcars_gaussian_inverse = list(data = "mtcars", formula = "mpg ~ wt + hp + qsec + am", family = "gaussian",
                                   link = "inverse", direction = "backward"),
    bwt_probit = list(data = "bwt", formula = "low ~ .", family = "binomial", link = "probit", direction = "backward"),
    # poly(), I(), log() in formulas
    mtcars_poly = list(data = "mtcars", formula = "mpg ~ poly(hp, 2) + wt + I(wt^2) + log(disp) + factor(cyl) + qsec",
                       direction = "backward"),
    mtcars_poly_raw = list(data = "mtcars", formula = "log(mpg) ~ poly(hp, 3, raw = TRUE) + sqrt(disp) + I(wt > 3)",
                           direction = "backward"),
    # ordered factors (contr.poly): ?dropterm's housing models
    housing_dropterm = list(data = "housing", formula = "Freq ~ Infl*Type*Cont + Sat*(Infl + Type + Cont)",
                            family = "poisson", table = "drop1", test = "Chisq"),
    housing_step = list(data = "housing", formula = "Freq ~ Infl*Type*Cont + Sat*(Infl + Type + Cont)",
                        family = "poisson", direction = "backward"),
    # ?stepAIC: quine.nxt (lm, log response) with a scope, and glm.nb(Days ~ .^4) re-estimating theta
    quine_stepaic = list(data = "quine", formula = "log(Days + 2.5) ~ .^4 - Eth:Sex:Age:Lrn", fn = "stepAIC",
                         upper = "~ Eth*Sex*Age*Lrn", lower = "~ 1", direction = "both"),
    quine_nb = list(data = "quine", formula = "Days ~ .^4", family = "glm.nb", fn = "stepAIC", direction = "both"),
    quine_nb_small = list(data = "quine", formula = "Days ~ Eth + Sex + Age + Lrn + Eth:Age", family = "glm.nb",
                          fn = "stepAIC", direction = "backward"),
    quine_nb_dropterm = list(data = "quine", formula = "Days ~ Eth + Sex + Age + Lrn", family = "glm.nb",
                             table = "drop1", test = "Chisq"),
    # test = "Rao" / "LRT" in the p-value rule
    bwt_pvalue_rao = list(data = "bwt", formula = "low ~ .", family = "binomial", direction = "backward",
                          criterion = "pvalue", threshold = 0.05, test = "Rao"),
    # factor level collation: R run under LC_COLLATE=C and under en_US.UTF-8 (make_expected_stepwise.R
    # runs these two in an Rscript child with that LC_COLLATE)
    cars93_collation_C = list(data = "cars93", formula = "Price ~ .", direction = "backward", collation = "C"),
    cars93_collation_locale = list(data = "cars93", formula = "Price ~ .", direction = "backward",
                                   collation = "locale"),
    swiss_both_start = list(data = "swiss", formula = "Fertility ~ .", direction = "both", start = "~ Education",
                            upper = "~ .", lower = "~ 1")
  )
}

sr_family <- function(family, link) {
  # a family object from its name and link, without evaluating any text
  fam <- switch(family, binomial = stats::binomial, poisson = stats::poisson, Gamma = stats::Gamma,
                gaussian = stats::gaussian, inverse.gaussian = stats::inverse.gaussian,
                stop("unknown family ", family))
  if (is.null(link)) fam() else fam(link = link)
}

sr_fit <- function(form, data, family, link = NULL, weights = NULL, offset = NULL) {
  # step()/update() re-evaluate the call: keep the data (and the family object) where they will find it
  assign(".sr_data", data, envir = globalenv())
  w <- if (is.null(weights)) NULL else as.name(weights)
  o <- if (is.null(offset)) NULL else as.name(offset)
  if (family == "glm.nb") {
    cl <- if (is.null(link)) bquote(MASS::glm.nb(.(form), data = .sr_data))
          else bquote(MASS::glm.nb(.(form), data = .sr_data, link = .(as.name(link))))
  } else if (family == "gaussian" && (is.null(link) || link == "identity")) {
    cl <- bquote(lm(.(form), data = .sr_data))
  } else {
    assign(".sr_family", sr_family(family, link), envir = globalenv())
    cl <- bquote(glm(.(form), family = .sr_family, data = .sr_data))
  }
  if (!is.null(w)) cl$weights <- w
  if (!is.null(o)) cl$offset <- o
  eval(cl, globalenv())
}

sr_table_case <- function(spec, fit, k) {
  test <- if (is.null(spec$test)) "none" else spec$test
  fn <- if (inherits(fit, "negbin")) {
    if (spec$table == "drop1") MASS::dropterm else MASS::addterm
  } else if (spec$table == "drop1") drop1 else add1
  tab <- if (spec$table == "drop1") fn(fit, test = test, k = k)
         else fn(fit, scope = as.formula(spec$scope), test = test, k = k)
  sr_table(tab)
}

sr_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.finite(x), x, NA)
}

sr_table <- function(tab) {
  out <- list(rows = I(rownames(tab)))
  for (nm in names(tab)) out[[nm]] <- I(sr_num(tab[[nm]]))
  out
}

sr_model_row <- function(fit, change, k, n) {
  ea <- extractAIC(fit, k = k)
  list(step = change, deviance = deviance(fit), resid_df = n - ea[1L], aic = ea[2L])
}

sr_collation <- function() {
  lc <- Sys.getlocale("LC_COLLATE")
  if (lc %in% c("C", "POSIX")) "C" else lc
}

sr_run <- function(spec) {
  if (!is.null(spec$collation)) {  # the fixture must have been made under the collation it claims
    want_c <- spec$collation == "C"
    if (want_c != (sr_collation() == "C") || (!want_c && !grepl("^en_", sr_collation())))
      stop("case needs LC_COLLATE=", if (want_c) "C" else "en_US.UTF-8", "; running under ", sr_collation())
  }
  data <- sr_data(spec$data)
  family <- if (is.null(spec$family)) "gaussian" else spec$family
  direction <- if (is.null(spec$direction)) "backward" else spec$direction
  criterion <- if (is.null(spec$criterion)) "aic" else spec$criterion
  steps <- if (is.null(spec$steps)) 1000 else as.integer(spec$steps)
  # the formula with "." expanded against the data (as terms(formula, data = ) does)
  full <- formula(terms(as.formula(spec$formula), data = data))
  environment(full) <- globalenv()
  resp <- deparse(full[[2L]])
  start_rhs <- if (!is.null(spec$start)) spec$start else if (direction == "forward") {
    if (is.null(spec$lower)) "~ 1" else spec$lower
  } else NULL
  start_form <- if (is.null(start_rhs)) full else {
    f <- as.formula(paste(resp, start_rhs))
    if (!is.null(spec$start) && grepl(".", spec$start, fixed = TRUE)) f <- update.formula(full, as.formula(start_rhs))
    f
  }
  environment(start_form) <- globalenv()
  warns <- character()
  collect <- function(expr) withCallingHandlers(expr, warning = function(w) {
    warns <<- unique(c(warns, conditionMessage(w)))
    invokeRestart("muffleWarning")
  })
  fit <- collect(sr_fit(start_form, data, family, spec$link, spec$weights, spec$offset))
  n <- nobs(fit)
  k <- if (!is.null(spec$k)) as.numeric(spec$k) else if (criterion == "bic") log(n) else 2
  if (!is.null(spec$table)) {
    tab <- collect(sr_table_case(spec, fit, k))
    return(list(spec = spec, n = n, k = k, table = tab, initial_terms = I(attr(terms(fit), "term.labels")),
                theta = if (inherits(fit, "negbin")) fit$theta else NULL,
                warnings = I(warns), r_version = R.version.string,
                mass_version = as.character(packageVersion("MASS"))))
  }
  # scopes: "." means the (expanded) formula's terms
  upper <- if (is.null(spec$upper)) full else update.formula(full, as.formula(spec$upper))
  lower <- if (is.null(spec$lower)) ~ 1 else update.formula(full, as.formula(spec$lower))
  lower <- formula(delete.response(terms(lower)))
  upper <- formula(delete.response(terms(upper)))
  dropped <- character(); dropped_p <- numeric()
  t0 <- proc.time()[["elapsed"]]
  if (criterion %in% c("aic", "bic")) {
    stepper <- if (identical(spec$fn, "stepAIC")) MASS::stepAIC else step
    res <- collect(stepper(fit, scope = list(lower = lower, upper = upper), direction = direction,
                           k = k, trace = 0, steps = steps))
    an <- res$anova
    steps_out <- lapply(seq_len(nrow(an)), function(i) list(
      step = as.character(an$Step[i]), df = sr_num(an$Df[i]), deviance = sr_num(an$Deviance[i]),
      resid_df = sr_num(an[["Resid. Df"]][i]), resid_dev = sr_num(an[["Resid. Dev"]][i]),
      aic = sr_num(an$AIC[i])))
    final <- res
  } else {
    test <- if (!is.null(spec$test)) spec$test else if (family == "gaussian" && is.null(spec$link)) "F" else "Chisq"
    threshold <- if (is.null(spec$threshold)) 0.05 else as.numeric(spec$threshold)
    models <- list(sr_model_row(fit, "", k, n))
    cur <- fit
    for (it in seq_len(steps)) {
      if (direction == "backward") {
        sc <- drop.scope(cur, lower)
        if (!length(sc)) break
        tab <- collect(drop1(cur, sc, test = test, k = k))
        pcol <- grep("^Pr\\(", names(tab), value = TRUE)[1L]
        dfs <- tab$Df[-1L]  # (drop1)
        if (any(dfs == 0, na.rm = TRUE)) {
          i <- rev(which(dfs == 0))[1L]; p <- NA_real_
        } else {
          pv <- tab[[pcol]][-1L]
          if (all(is.na(pv))) break
          i <- which.max(pv); p <- pv[i]
          if (!(p > threshold)) break
        }
        term <- rownames(tab)[-1L][i]
        cur <- collect(update(cur, as.formula(paste("~ . -", term))))
        change <- paste("-", term)
      } else {
        sc <- add.scope(cur, upper)
        if (!length(sc)) break
        tab <- collect(add1(cur, sc, test = test, k = k))
        pcol <- grep("^Pr\\(", names(tab), value = TRUE)[1L]
        pv <- tab[[pcol]][-1L]
        if (all(is.na(pv))) break
        i <- which.min(pv); p <- pv[i]
        if (!(p < threshold)) break
        term <- rownames(tab)[-1L][i]
        cur <- collect(update(cur, as.formula(paste("~ . +", term))))
        change <- paste("+", term)
      }
      dropped <- c(dropped, term); dropped_p <- c(dropped_p, p)
      models[[length(models) + 1L]] <- sr_model_row(cur, change, k, n)
    }
    rd <- sapply(models, `[[`, "deviance"); rdf <- sapply(models, `[[`, "resid_df")
    steps_out <- lapply(seq_along(models), function(i) list(
      step = models[[i]]$step,
      df = if (i == 1L) NA else rdf[i] - rdf[i - 1L],
      deviance = if (i == 1L) NA else abs(rd[i] - rd[i - 1L]),
      resid_df = rdf[i], resid_dev = rd[i], aic = models[[i]]$aic))
    final <- cur
  }
  seconds <- proc.time()[["elapsed"]] - t0
  # drop1 of the starting model (default scope, k) for table-level parity
  is_lm <- family == "gaussian" && (is.null(spec$link) || spec$link == "identity")
  d1test <- if (is_lm) "F" else "Chisq"
  d1 <- if (is.null(spec$no_drop1) && length(attr(terms(fit), "term.labels")))
    collect(if (inherits(fit, "negbin")) MASS::dropterm(fit, k = k, test = "Chisq") else drop1(fit, k = k, test = d1test))
    else NULL
  cf <- coef(final)
  list(
    spec = spec,
    n = n,
    k = k,
    steps = steps_out,
    initial_terms = I(attr(terms(fit), "term.labels")),
    final_terms = I(attr(terms(final), "term.labels")),
    coefficients = as.list(setNames(sr_num(cf), names(cf))),
    pvalues = {
      sm <- summary(final)$coefficients
      pv <- setNames(rep(NA_real_, length(cf)), names(cf))
      pv[rownames(sm)] <- sm[, 4L]
      as.list(setNames(sr_num(pv), names(pv)))
    },
    aliased = I(names(cf)[is.na(cf)]),
    theta = if (inherits(final, "negbin")) final$theta else NULL,
    dropped = if (criterion == "pvalue") I(dropped) else NULL,
    dropped_p = if (criterion == "pvalue") I(sr_num(dropped_p)) else NULL,
    drop1_start = if (is.null(spec$no_drop1) && !is.null(d1)) sr_table(d1) else NULL,
    seconds = seconds,
    warnings = I(warns),
    r_version = R.version.string,
    mass_version = as.character(packageVersion("MASS")),
    lc_collate = Sys.getlocale("LC_COLLATE"),
    icu = unname(capabilities("ICU"))
  )
}

sr_json <- function(x) toJSON(x, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE)

# The command line (optparse, Debian: r-cran-optparse): every option is a string as typed, as the
# named cases' specs hold them; `Rscript r_scripts/step_reference.R --help` lists them.
sr_parser <- function() {
  o <- function(name, help) optparse::make_option(paste0("--", name), type = "character", dest = name, help = help)
  optparse::OptionParser(
    usage = "Rscript r_scripts/step_reference.R (--case NAME | --case all | --list | --data D --formula F [options])",
    description = "R's step() / stepAIC() / drop1() / add1() traces as JSON on stdout (statprune's stepwise parity).",
    option_list = list(
      optparse::make_option("--list", action = "store_true", default = FALSE, help = "print the names of the cases"),
      o("case", "a named case, or all"),
      o("data", "an R data set name (swiss, mtcars, bwt, quine, warpbreaks, Boston, ...) or a CSV file"),
      o("formula", "the model formula"),
      o("family", "gaussian, binomial, poisson, Gamma, inverse.gaussian, glm.nb, ..."),
      o("link", "the link of the family"),
      o("weights", "column of prior weights"),
      o("offset", "column of the offset"),
      o("direction", "backward, forward or both"),
      o("criterion", "aic, bic or pvalue"),
      o("k", "the penalty per df of step()"),
      o("lower", "the lower scope"),
      o("upper", "the upper scope"),
      o("start", "the starting model"),
      o("threshold", "pvalue: the p-value threshold"),
      o("test", "F, Chisq, LRT or Rao"),
      o("steps", "step()'s maximum number of steps"),
      o("fn", "step or stepAIC"),
      o("table", "drop1 or add1: that table instead of a search"),
      o("scope", "add1: the scope"),
      o("collation", "C or locale: the collation the run must be under"),
      o("no_drop1", "1: leave out the starting model's drop1 table")
    ))
}

sr_main <- function(args) {
  opt <- optparse::parse_args(sr_parser(), args = args)
  if (isTRUE(opt$list)) { cat(sr_json(names(sr_cases()))); return(invisible()) }
  opt$list <- NULL
  opt$help <- NULL
  if (!is.null(opt$case)) {
    cases <- sr_cases()
    if (opt$case == "all") {  # the collation cases need their own LC_COLLATE: run them one by one
      cases <- cases[!vapply(cases, function(sp) !is.null(sp$collation), logical(1))]
      out <- lapply(names(cases), function(nm) c(list(case = nm), sr_run(cases[[nm]])))
      names(out) <- names(cases)
    } else {
      if (is.null(cases[[opt$case]])) stop("unknown case ", opt$case)
      out <- c(list(case = opt$case), sr_run(cases[[opt$case]]))
    }
  } else {
    if (is.null(opt$data) || is.null(opt$formula)) stop("--data and --formula are required")
    out <- sr_run(opt)
  }
  cat(sr_json(out), "\n")
}

if (!interactive() && sys.nframe() == 0L) sr_main(commandArgs(trailingOnly = TRUE))
