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
for (nm in c("housing", "anorexia", "cars93")) {
  d <- sr_data(nm)
  write.csv(d, file.path(data_dir, paste0("mass_", nm, ".csv")), row.names = FALSE)
  cat("wrote", file.path(data_dir, paste0("mass_", nm, ".csv")), "\n")
}
cases <- sr_cases()
only <- commandArgs(trailingOnly = TRUE)
if (length(only)) cases <- cases[only]
for (nm in names(cases)) {
  if (!is.null(cases[[nm]]$collation)) {
    # R as started in that locale (R picks its ICU collator at start-up): a child Rscript with LC_COLLATE set
    lc <- if (cases[[nm]]$collation == "C") "C" else "en_US.UTF-8"
    txt <- system2("Rscript", c(file.path(here, "step_reference.R"), "--case", nm), stdout = TRUE,
                   env = c("LC_ALL=", paste0("LC_COLLATE=", lc)))
    if (!is.null(attr(txt, "status"))) stop("Rscript failed for case ", nm)
    res <- c(list(generated_by = "r_scripts/make_expected_stepwise.R"), jsonlite::fromJSON(paste(txt, collapse = "\n"),
                                                                                           simplifyVector = FALSE))
    res <- res[c("case", setdiff(names(res), "case"))]
  } else {
    res <- c(list(case = nm, generated_by = "r_scripts/make_expected_stepwise.R"), sr_run(cases[[nm]]))
  }
  res$seconds <- NULL  # timings vary run to run; keep the stored files stable
  path <- file.path(out_dir, paste0("stepwise_", nm, ".json"))
  tmp <- paste0(path, ".tmp")
  writeLines(sr_json(res), tmp)
  file.rename(tmp, path)
  cat("wrote", path, "\n")
}
