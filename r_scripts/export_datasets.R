# Regenerates the CSV copies of R data sets that statprune bundles in statprune/data/.
# Usage: Rscript r_scripts/export_datasets.R [outdir]
# Values are written with 17 significant digits so they round-trip exactly.
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args)) args[[1]] else "statprune/data"
suppressPackageStartupMessages(library(MASS))
write_exact <- function(df, name) {
  num <- vapply(df, is.numeric, logical(1))
  df[num] <- lapply(df[num], function(v) if (is.integer(v)) v else sprintf("%.17g", v))
  utils::write.csv(df, file.path(outdir, paste0(name, ".csv")), row.names = FALSE,
                   quote = which(!num))
}
write_exact(MASS::Boston, "boston")
write_exact(MASS::birthwt, "birthwt")
write_exact(rbind(MASS::Pima.tr, MASS::Pima.te), "pima")
write_exact(MASS::quine, "quine")
write_exact(datasets::swiss, "swiss")
mt <- datasets::mtcars
write_exact(cbind(model = rownames(mt), mt), "mtcars")
write_exact(datasets::warpbreaks, "warpbreaks")
