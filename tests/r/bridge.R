# Test-only R functions for the bridge's own tests (tests/test_foundation.py, prefix sp_); not shipped
# in the wheel. tests/helpers.py (source_test_r_into_bridge) sources them into the bridge's environment,
# so the tests reach them through statprune._r.call, the package's own call path.

# Identity (the bit-exact round trip), an R error, an R warning before a value.
sp_identity <- function(x) x
sp_fail <- function(msg) stop(msg)
sp_warn_then_value <- function(msg, value) { warning(msg); value }

# Load an R data set from a package into a data.frame (e.g. MASS::Boston).
sp_dataset <- function(name, package) {
  e <- new.env()
  utils::data(list = name, package = package, envir = e)
  get(name, envir = e)
}

# What R sees of a value: an error inside base R, one element, the class, S3-ness, a model on a data.frame.
sp_log <- function(x) log(x)
sp_element <- function(x, i, j) x[i, j]
sp_describe <- function(x) list(class = if (is.matrix(x)) "matrix" else class(x)[1L],
                                has_dim = !is.null(dim(x)), length = length(x))
sp_lm_coef <- function(df, response) {
  stats::coef(stats::lm(stats::reformulate(setdiff(names(df), response), response = response), data = df))
}
sp_is_object <- function(x) is.object(x)
