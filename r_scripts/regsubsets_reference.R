# Reference values of leaps::regsubsets for statprune.regsubsets (tests/test_subsets.py).
#   Rscript r_scripts/regsubsets_reference.R [OUT.json]
# Writes tests/expected/regsubsets_cases.json: for each case the data set, target, method, nvmax,
# force.in/force.out and, per model size, the terms (model-matrix columns), rss, rsq, adjr2, cp and
# bic exactly as summary(regsubsets(...)) reports them, plus the R and leaps versions. Deterministic
# (no random numbers).
suppressPackageStartupMessages({library(leaps); library(MASS); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
out <- if (length(args)) args[1] else file.path(dirname(here), "tests", "expected", "regsubsets_cases.json")

# 36 predictors from Boston: the 13 columns, 12 squares (not chas) and 11 products.
boston36 <- function() {
  B <- MASS::Boston
  X <- B[, setdiff(names(B), "medv")]
  for (v in setdiff(names(X), "chas")) X[[paste0(v, "_sq")]] <- B[[v]]^2
  pairs <- list(c("lstat", "rm"), c("lstat", "dis"), c("rm", "ptratio"), c("nox", "dis"), c("crim", "rad"),
                c("tax", "rad"), c("age", "dis"), c("indus", "nox"), c("rm", "dis"), c("lstat", "ptratio"),
                c("black", "lstat"))
  for (pr in pairs) X[[paste0(pr[1], "_x_", pr[2])]] <- B[[pr[1]]] * B[[pr[2]]]
  X$medv <- B$medv
  X
}
datasets_ <- list(
  swiss = function() swiss,
  mtcars = function() mtcars,
  mtcars_factor = function() { d <- mtcars; d$cyl <- factor(d$cyl); d$gear <- factor(d$gear); d },
  boston = function() MASS::Boston,
  boston36 = boston36,
  swiss_lindep = function() { d <- swiss; d$AgEd <- d$Agriculture + d$Education; d }
)
case <- function(data, target, method, nvmax = 8, force.in = NULL, force.out = NULL)
  list(data = data, target = target, method = method, nvmax = nvmax,
       force_in = as.list(force.in), force_out = as.list(force.out))
cases <- list()
for (m in c("exhaustive", "forward", "backward", "seqrep")) {
  cases[[paste0("swiss_", m)]] <- case("swiss", "Fertility", m)
  cases[[paste0("mtcars_", m)]] <- case("mtcars", "mpg", m, nvmax = 10)
  cases[[paste0("boston_", m)]] <- case("boston", "medv", m, nvmax = 13)
  cases[[paste0("boston36_", m)]] <- case("boston36", "medv", m, nvmax = if (m == "exhaustive") 8 else 12)
  cases[[paste0("mtcars_forced_", m)]] <- case("mtcars", "mpg", m, nvmax = 6, force.in = "wt", force.out = "disp")
}
cases$boston_forced_exhaustive <- case("boston", "medv", "exhaustive", nvmax = 8, force.in = c("lstat", "crim"),
                                       force.out = "rm")
cases$mtcars_factor_exhaustive <- case("mtcars_factor", "mpg", "exhaustive", nvmax = 9)
cases$mtcars_factor_seqrep <- case("mtcars_factor", "mpg", "seqrep", nvmax = 9)
cases$swiss_lindep_exhaustive <- case("swiss_lindep", "Fertility", "exhaustive")
cases$swiss_lindep_forward <- case("swiss_lindep", "Fertility", "forward")

run <- function(cs) {
  d <- datasets_[[cs$data]]()
  f <- as.formula(paste(cs$target, "~ ."))
  fi <- if (length(cs$force_in)) unlist(cs$force_in) else NULL
  fo <- if (length(cs$force_out)) unlist(cs$force_out) else NULL
  warns <- character()
  fit <- withCallingHandlers(
    regsubsets(f, data = d, nvmax = cs$nvmax, method = cs$method, force.in = fi, force.out = fo),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  s <- summary(fit)
  w <- s$which[, -1, drop = FALSE]
  sizes <- lapply(seq_len(nrow(w)), function(i)
    list(size = as.integer(rownames(w)[i]), terms = as.list(colnames(w)[w[i, ]]), rss = s$rss[i], rsq = s$rsq[i],
         adjr2 = s$adjr2[i], cp = s$cp[i], bic = s$bic[i]))
  c(cs, list(columns = as.list(colnames(w)), sizes = sizes, r_warnings = as.list(warns),
             best = list(bic = as.list(colnames(w)[w[which.min(s$bic), ]]), cp = as.list(colnames(w)[w[which.min(s$cp), ]]),
                         adjr2 = as.list(colnames(w)[w[which.max(s$adjr2), ]]))))
}
res <- lapply(cases, run)
doc <- list(generated_by = "r_scripts/regsubsets_reference.R", r_version = R.version.string,
            leaps_version = as.character(packageVersion("leaps")), MASS_version = as.character(packageVersion("MASS")),
            cases = res)
tmp <- paste0(out, ".tmp")
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), tmp)
file.rename(tmp, out)
cat("wrote", out, "\n")
