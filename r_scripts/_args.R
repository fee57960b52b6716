# Command-line parsing shared by the pure-R reference scripts (cv_glmnet.R, lm_glm_reference.R,
# selective_inf.R), with optparse (Debian: r-cran-optparse; CRAN: optparse):
#   Rscript r_scripts/<script>.R data.csv --target Y [--key value ...]
#   Rscript r_scripts/<script>.R --help
# Plain R, no statprune code; each script sources this file from its own folder:
#   here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
#   source(file.path(here, "_args.R"))
suppressPackageStartupMessages(library(optparse))

# The options as a named list: `data` (the one positional argument), `target`, and every option of
# `options` (name as typed without "--" -> help text) under that same name (`opt[["foldid-column"]]`),
# with its value from `defaults` when it is not given, NULL when it has no default. Every value is a
# string, as typed; the scripts convert. --help prints the usage and the options and exits 0; a
# missing data file argument, an unknown option, an option without a value or no --target stops.
ref_args <- function(usage, options = list(), defaults = list(), description = "",
                     args = commandArgs(trailingOnly = TRUE)) {
  option <- function(name, help) {
    default <- defaults[[name]]
    if (!is.null(default)) help <- sprintf("%s [default: %s]", help, format(default))
    make_option(paste0("--", name), type = "character", dest = name, metavar = toupper(gsub("-", "_", name)),
                default = if (is.null(default)) NULL else as.character(default), help = help)
  }
  specs <- c(list(option("target", "the target column (required)")),
             Map(option, names(options), unname(options)))
  parser <- OptionParser(usage = usage, option_list = specs, description = description)
  parsed <- parse_args(parser, args = args, positional_arguments = TRUE)
  if (length(parsed$args) != 1L) stop(usage, " (", length(parsed$args), " data files given, 1 expected)", call. = FALSE)
  opt <- parsed$options
  opt$help <- NULL
  if (is.null(opt$target)) stop("--target is required", call. = FALSE)
  c(list(data = parsed$args[[1L]]), opt)
}
