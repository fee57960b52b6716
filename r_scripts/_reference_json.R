# Writing shared by the pure-R reference scripts that store expected values as JSON
# (knockoff_reference.R, selective_reference.R). Plain R (jsonlite), no statprune code;
# each script sources this file from its own folder:
#   here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
#   source(file.path(here, "_reference_json.R"))

# jsonlite writes at most 15 significant digits; numbers here are written with 17 (exact
# round trip), Inf/-Inf/NA/NaN as strings, through json_verbatim.
exact_json <- function(x) {
  num <- function(v) ifelse(is.na(v), if (is.nan(v[1])) '"NaN"' else '"NA"',
                     ifelse(is.infinite(v), ifelse(v > 0, '"Inf"', '"-Inf"'), sprintf("%.17g", v)))
  if (is.list(x)) return(lapply(x, exact_json))
  if (!is.numeric(x)) return(x)
  if (is.matrix(x)) {
    rows <- apply(x, 1, function(r) paste0("[", paste(num(r), collapse = ","), "]"))
    return(structure(paste0("[", paste(rows, collapse = ","), "]"), class = "json"))
  }
  if (length(x) == 1) return(structure(num(x), class = "json"))
  structure(paste0("[", paste(num(x), collapse = ","), "]"), class = "json")
}

# The output file: the script's first argument, else `default` (a path under tests/expected/).
reference_out_path <- function(default, args = commandArgs(trailingOnly = TRUE)) {
  if (length(args) >= 1) args[1] else default
}

# R's version and the versions of `packages`, as the stored JSON records them.
reference_versions <- function(packages) {
  c(list(r = R.version.string),
    setNames(lapply(packages, function(p) as.character(packageVersion(p))), packages))
}

# Write `out` (versions, script, cases, ...) with exact numbers to `out_path`.
write_reference <- function(out, out_path) {
  writeLines(jsonlite::toJSON(exact_json(out), auto_unbox = TRUE, json_verbatim = TRUE, null = "null"), out_path)
  cat("wrote", out_path, "\n")
}
