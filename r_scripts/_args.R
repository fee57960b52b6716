# Command-line parsing shared by the pure-R reference scripts (cv_glmnet.R,
# lm_glm_reference.R): `Rscript r_scripts/<script>.R data.csv --target Y [--key value ...]`.
# Plain R, no statprune code; each script sources this file from its own folder:
#   here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
#   source(file.path(here, "_args.R"))

# The options as a named list: `data` (the first argument), then `defaults`, then every
# `--key value` pair in order (a later value replaces an earlier one). Stops, as the
# scripts always did, without a usage line, with a key that has no value, or with no --target.
ref_args <- function(usage, defaults = list(), args = commandArgs(trailingOnly = TRUE)) {
  if (length(args) < 1L) stop(usage, call. = FALSE)
  opt <- c(list(data = args[[1L]]), defaults)
  i <- 2L
  while (i <= length(args)) {
    key <- sub("^--", "", args[[i]])
    if (i + 1L > length(args)) stop("option --", key, " needs a value", call. = FALSE)
    opt[[key]] <- args[[i + 1L]]
    i <- i + 2L
  }
  if (is.null(opt$target)) stop("--target is required", call. = FALSE)
  opt
}
