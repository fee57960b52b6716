# Build RDS files whose payload creates a marker file when R deserializes or touches them
# (tests/test_hardening.py: statprune must refuse every one before any payload runs).
# Usage: Rscript tests/r/malicious_rds.R OUTDIR MARKER
args <- commandArgs(trailingOnly = TRUE)
out <- args[[1]]
marker <- args[[2]]
payload <- bquote(file.create(.(marker)))

# 1. an environment classed cv.glmnet whose fields are active bindings
e <- new.env(parent = emptyenv())
makeActiveBinding("glmnet.fit", eval(bquote(function() { .(payload); NULL })), e)
makeActiveBinding("lambda", eval(bquote(function() { .(payload); 1 })), e)
class(e) <- "cv.glmnet"
saveRDS(e, file.path(out, "active_binding.rds"))

# 2. an environment classed cv.glmnet whose fields are delayedAssign promises
e2 <- new.env()
eval(bquote(delayedAssign("glmnet.fit", .(payload), assign.env = e2)))
eval(bquote(delayedAssign("lambda", .(payload), assign.env = e2)))
class(e2) <- "cv.glmnet"
saveRDS(e2, file.path(out, "delayed_assign.rds"))

# 3. a top-level promise (the shape of CVE-2024-27322): readRDS itself runs the code.
# serialize() cannot write one, so write its stream: the header of a version-3 stream, then a
# PROMSXP node (flags 5 | has-tag) with environment R_GlobalEnv, value R_UnboundValue, code.
code <- serialize(payload, NULL, version = 3)
hdr_len <- 14L + 4L + readBin(code[15:18], "integer", size = 4, endian = "big")
prom <- writeBin(c(5L + 1024L, 253L, 252L), raw(), size = 4, endian = "big")
con <- gzfile(file.path(out, "toplevel_promise.rds"), "wb")
writeBin(c(code[seq_len(hdr_len)], prom, code[-seq_len(hdr_len)]), con)
close(con)

# 4. a list classed cv.glmnet whose fields are functions
f <- structure(list(lambda = c(1, 0.5), glmnet.fit = eval(bquote(function(...) .(payload))),
                    call = quote(cv.glmnet(x, y))), class = "cv.glmnet")
saveRDS(f, file.path(out, "list_of_functions.rds"))

# 5. a list classed lm whose terms R evaluates in predict() / model.frame()
tt <- eval(bquote(terms(y ~ I(.(payload)))))
attr(tt, ".Environment") <- NULL
saveRDS(structure(list(terms = tt, coefficients = c(a = 1)), class = "lm"), file.path(out, "lm_terms.rds"))

# 6. a cv.glmnet list with code (a language object) where a number belongs
saveRDS(structure(list(lambda = payload, call = quote(cv.glmnet(x, y))), class = "cv.glmnet"),
        file.path(out, "language_field.rds"))
