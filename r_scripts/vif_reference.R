# Reference values of car::vif for statprune.vif (tests/test_vif.py).
#   Rscript r_scripts/vif_reference.R [OUT.json]
# Writes tests/expected/vif_cases.json: per case the data set, formula and car::vif's GVIF, Df and
# GVIF^(1/(2*Df)) of every term (type = "terms", car's default), R's warnings, and the R, car and
# carData versions. carData::Duncan (car's own example) is stored in the file; the other data sets
# are statprune's bundled copies of datasets:: and MASS:: data. Deterministic (no random numbers).
suppressPackageStartupMessages({library(car); library(MASS); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
out <- if (length(args)) args[1] else file.path(dirname(here), "tests", "expected", "vif_cases.json")
bw <- MASS::birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
data_ <- list(duncan = carData::Duncan, mtcars = mtcars, boston = MASS::Boston, birthwt = bw, quine = MASS::quine,
              warpbreaks = warpbreaks)
cases <- list(
  duncan_plain = list(data = "duncan", formula = "prestige ~ income + education"),
  duncan_type = list(data = "duncan", formula = "prestige ~ income + education + type"),
  mtcars_plain = list(data = "mtcars", formula = "mpg ~ disp + hp + wt + drat"),
  mtcars_factor_interaction = list(data = "mtcars", formula = "mpg ~ factor(cyl) * wt + hp + qsec"),
  mtcars_no_intercept = list(data = "mtcars", formula = "mpg ~ 0 + wt + hp + disp"),
  boston_all = list(data = "boston", formula = "medv ~ ."),
  boston_logs = list(data = "boston", formula = "log(medv) ~ log(crim) + I(rm^2) + lstat * dis + nox + tax + rad"),
  birthwt_race_smoke = list(data = "birthwt", formula = "bwt ~ age + lwt + race * smoke + ht + ui"),
  quine_factors = list(data = "quine", formula = "Days ~ Eth + Sex + Age + Lrn"),
  quine_interactions = list(data = "quine", formula = "Days ~ Eth * Sex + Age + Lrn"),
  warpbreaks_interaction = list(data = "warpbreaks", formula = "breaks ~ wool * tension")
)
run <- function(cs) {
  warns <- character()
  v <- withCallingHandlers(
    suppressMessages(vif(lm(as.formula(cs$formula), data = data_[[cs$data]]))),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  if (is.matrix(v)) {
    terms <- lapply(rownames(v), function(t) list(term = t, gvif = v[t, 1], df = v[t, 2], gvif_adj = v[t, 3]))
  } else {
    terms <- lapply(names(v), function(t) list(term = t, gvif = v[[t]], df = 1, gvif_adj = sqrt(v[[t]])))
  }
  c(cs, list(vector = !is.matrix(v), terms = terms, r_warnings = as.list(warns)))
}
d <- carData::Duncan
doc <- list(generated_by = "r_scripts/vif_reference.R", r_version = R.version.string,
            car_version = as.character(packageVersion("car")), carData_version = as.character(packageVersion("carData")),
            duncan = list(type = as.character(d$type), type_levels = levels(d$type), income = d$income,
                          education = d$education, prestige = d$prestige),
            cases = lapply(cases, run))
tmp <- paste0(out, ".tmp")
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), tmp)
invisible(file.rename(tmp, out))
cat("wrote", out, "\n")
