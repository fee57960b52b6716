#!/usr/bin/env Rscript
# The class order of a binomial target as R decides it, for tests/test_class_order.py:
#   LC_ALL=C Rscript r_scripts/class_order_reference.R > tests/expected/class_order.json
# For each type of target (numeric {2, 10}, character {"B", "b"}, logical, factor with levels
# c("lo", "hi")) on the same deterministic data: levels(factor(y)), the class glmnet models
# (glmnet(x, y, family = "binomial"): the second level), read from the sign of the x1
# coefficient (x1 drives the rows marked `ev`), and what glm(y ~ ., binomial) does with
# the target as it is (the class it models, or its error).
suppressPackageStartupMessages({ library(glmnet); library(jsonlite) })
i <- 1:80
x <- cbind(x1 = 2 * sin(1.7 * i), x2 = cos(0.9 * i), x3 = (i %% 7) / 7)
ev <- x[, "x1"] + 0.8 * sin(3.1 * i) > 0
targets <- list(
  numeric = ifelse(ev, 10, 2),
  character = ifelse(ev, "b", "B"),
  logical = ev,
  factor = factor(ifelse(ev, "lo", "hi"), levels = c("lo", "hi"))
)
label <- function(v) if (is.logical(v)) ifelse(v, "TRUE", "FALSE") else as.character(v)
cases <- lapply(names(targets), function(kind) {
  y <- targets[[kind]]
  ev_label <- label(y[ev][1])
  other <- setdiff(label(unique(y)), ev_label)
  fit <- glmnet(x, y, family = "binomial", lambda = 0.02)
  b1 <- as.numeric(coef(fit)["x1", 1])
  g <- tryCatch({
    m <- glm(y ~ ., family = binomial, data = data.frame(x, y = y))
    list(event = if (coef(m)[["x1"]] > 0) ev_label else other, error = NULL)
  }, error = function(e) list(event = NULL, error = conditionMessage(e)))
  list(kind = kind, levels = levels(factor(y)), glmnet_event = if (b1 > 0) ev_label else other,
       glmnet_x1 = b1, glm_event = g$event, glm_error = g$error)
})
cat(toJSON(list(generated_by = "r_scripts/class_order_reference.R", r_version = R.version.string,
                glmnet_version = as.character(packageVersion("glmnet")), lc_collate = Sys.getlocale("LC_COLLATE"),
                data = "i = 1:80; x1 = 2 sin(1.7 i), x2 = cos(0.9 i), x3 = (i %% 7) / 7; ev = x1 + 0.8 sin(3.1 i) > 0",
                cases = cases), auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), "\n")
