# Regenerate tests/expected/stepwise_<case>.json from R's step()/drop1()/add1().
#   Rscript r_scripts/make_expected_stepwise.R
# Every case is defined in r_scripts/step_reference.R (sr_cases()); each file records the R and MASS
# versions. No random numbers are used (no seed needed).
here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
source(file.path(here, "step_reference.R"))
out_dir <- file.path(dirname(here), "tests", "expected")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
# MASS data sets the Python side has no loader for: written as CSV next to the tests (factor level
# orders are restated in tests/stepwise_cases.py: Sat is ordered Low < Medium < High)
data_dir <- file.path(dirname(here), "tests", "data")
for (nm in c("housing", "anorexia")) {
  d <- sr_data(nm)
  write.csv(d, file.path(data_dir, paste0("mass_", nm, ".csv")), row.names = FALSE)
  cat("wrote", file.path(data_dir, paste0("mass_", nm, ".csv")), "\n")
}
cases <- sr_cases()
only <- commandArgs(trailingOnly = TRUE)
if (length(only)) cases <- cases[only]
for (nm in names(cases)) {
  res <- c(list(case = nm, generated_by = "r_scripts/make_expected_stepwise.R"), sr_run(cases[[nm]]))
  res$seconds <- NULL  # timings vary run to run; keep the stored files stable
  path <- file.path(out_dir, paste0("stepwise_", nm, ".json"))
  tmp <- paste0(path, ".tmp")
  writeLines(sr_json(res), tmp)
  file.rename(tmp, path)
  cat("wrote", path, "\n")
}
