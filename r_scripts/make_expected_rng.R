#!/usr/bin/env Rscript
# Regenerates tests/expected/r_folds.json: the fold ids cv.glmnet draws,
#   set.seed(seed); sample(rep(seq(nfolds), length = n))
# (glmnet:::cv.glmnet: foldid = sample(rep(seq(nfolds), length = N))) for many seeds,
# n (around powers of two, where R_unif_index's bit count changes) and nfolds,
# with R's default RNGkind (Mersenne-Twister / Inversion / Rejection) recorded.
# statprune._rng reproduces them without R (tests/test_rng.py).
# Pure R (base + jsonlite). Run from the repository root:  Rscript r_scripts/make_expected_rng.R
suppressPackageStartupMessages(library(jsonlite))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
self <- sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))
root <- normalizePath(file.path(dirname(self), ".."))
out_path <- file.path(root, "tests", "expected", "r_folds.json")

seeds <- c(0L, 1L, 2L, 7L, 42L, 123L, 2024L, 20241125L, -1L, -987654L, .Machine$integer.max, -.Machine$integer.max)
ns <- c(1L, 2L, 3L, 9L, 10L, 17L, 31L, 32L, 33L, 100L, 127L, 128L, 129L, 506L, 1000L, 1023L, 1024L, 1025L,
        4095L, 4096L, 4097L, 20000L, 32767L, 32768L, 32769L, 65535L, 65536L, 65537L, 100000L, 131073L)
cases <- list()
for (n in ns) {
  for (nfolds in unique(c(3L, 5L, 10L, n))) {
    if (nfolds > n && nfolds != n) next
    if (nfolds == n && n > 4097L) next  # sample(1:n) itself: covered up to 4097
    for (seed in seeds) {
      set.seed(seed)
      f <- sample(rep(seq(nfolds), length = n))
      after <- runif(1)  # the generator's state after the draw
      small <- n <= 257L
      cases[[length(cases) + 1L]] <- list(
        n = n, nfolds = nfolds, seed = seed,
        foldid = if (small) f else NULL,
        head = f[seq_len(min(n, 20L))], tail = f[max(1L, n - 19L):n],
        checksum = sum(as.numeric(f) * seq_len(n)),   # exact in double for these n
        checksum2 = sum((as.numeric(f) %% 7) * (seq_len(n) %% 1009)),
        runif_after = after
      )
    }
  }
}
doc <- list(
  generated_by = "r_scripts/make_expected_rng.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  rngkind = RNGkind(),
  note = "foldid given in full for n <= 257; otherwise head, tail and two weighted checksums",
  cases = cases
)
tmp <- paste0(out_path, ".tmp")
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, null = "null"), tmp)
invisible(file.rename(tmp, out_path))
cat("wrote", out_path, length(cases), "cases\n")
