# Test-only R functions for tests/test_pca.py (prefix spi_); not shipped in the wheel.
# Called through tests/helpers.py: call_test_r("pca_importance", "spi_...", ...).

# prcomp() of a numeric matrix; R's own signs (not normalised).
spi_prcomp <- function(x, scale = TRUE) {
  p <- stats::prcomp(x, center = TRUE, scale. = scale)
  list(sdev = as.array(p$sdev), rotation = unname(p$rotation), x = unname(p$x),
       center = as.array(unname(p$center)),
       scale = if (isFALSE(p$scale)) NULL else as.array(unname(p$scale)))
}
