# statprune's R bridge: sourced once into a private environment by statprune/_r.py.
# Functions defined here take R objects and return R objects; no R code is ever
# built from user strings.

# Call the function named `fname` (a function defined in this environment or any
# attached package) with the list `args`. The arguments are bound to symbols in
# a fresh environment so that errors show a short call, not the deparsed data.
# Returns list(value, warnings, error); warnings are collected and muffled.
sp_invoke <- function(fname, args, env) {
  warns <- character(0)
  callenv <- new.env(parent = env)
  nms <- names(args)
  if (is.null(nms)) nms <- rep("", length(args))
  syms <- vector("list", length(args))
  for (i in seq_along(args)) {
    sym <- paste0(".a", i)
    assign(sym, args[[i]], envir = callenv)
    syms[[i]] <- as.name(sym)
  }
  names(syms) <- nms
  cl <- as.call(c(list(as.name(fname)), syms))
  err <- NULL
  value <- tryCatch(
    withCallingHandlers(eval(cl, callenv),
      warning = function(w) {
        warns <<- c(warns, conditionMessage(w))
        invokeRestart("muffleWarning")
      }),
    error = function(e) {
      cc <- conditionCall(e)
      txt <- if (is.null(cc)) NA_character_ else
        substr(paste(deparse(cc, nlines = 1L, width.cutoff = 200L), collapse = " "), 1L, 300L)
      err <<- list(conditionMessage(e), txt)
      NULL
    })
  list(value, if (length(warns)) warns else NULL, err)
}

sp_pkg_version <- function(pkg) {
  if (requireNamespace(pkg, quietly = TRUE)) as.character(utils::packageVersion(pkg)) else ""
}

sp_versions <- function() {
  blas <- tryCatch(extSoftVersion()[["BLAS"]], error = function(e) "")
  lapack <- tryCatch(La_library(), error = function(e) "")
  list(
    r = paste(R.version$major, R.version$minor, sep = "."),
    r_version_string = R.version.string,
    glmnet = sp_pkg_version("glmnet"),
    MASS = sp_pkg_version("MASS"),
    jsonlite = sp_pkg_version("jsonlite"),
    survival = sp_pkg_version("survival"),
    randomForest = sp_pkg_version("randomForest"),
    blas = if (is.null(blas)) "" else blas,
    lapack = if (is.null(lapack)) "" else lapack
  )
}
