/* glmnet's standardization of a design for the C path kernels, with the training rows gathered in the
 * same sweep (statprune._glmnet.rules.glmnet_scale is the rule; tests/test_glmpath.py checks the two agree):
 * for each variable, the weighted mean xm (0 without an intercept), the weighted population sd xs around
 * the weighted mean (1 when not standardizing, or for a constant variable), whether the variable varies over
 * the rows (glmnet's ju before exclusions), and the column (x - xm) / xs written as one row of Xt (p rows of n).
 *
 * X is the full N x p design, stored by rows or by columns (gather); rows (n indices into 0..N) picks the
 * rows of the fit, NULL = all N in order; w (n) are the fit's weights normalized to sum 1.  A
 * cross-validation's training sets are gathered from the one design, with no copy per fold; each column is
 * then reduced and rewritten while it is in cache.  Sums have four partial sums (lane j sums the elements
 * i = j mod 4 in order), like dot() in glmnet_path.h: the results do not depend on the machine.
 */
#include <math.h>
#include <string.h>

#include "glmnet_path.h"

/* Xt[j][t] = x(rows[t], j): the fit's rows, variable by variable.  cols = 0: X is n x p by rows (element
 * (i, j) at X[i * p + j]), gathered in blocks of 64 rows (each block is in cache while its p runs of Xt are
 * written); cols = 1: X holds the columns (element (i, j) at X[j * N + i]). */
static void gather(const double *X, int cols, long N, long p, const long *rows, long n, double *Xt) {
    if (cols) {
        for (long j = 0; j < p; j++) {
            const double *src = X + j * N;
            double *out = Xt + j * n;
            if (rows) for (long t = 0; t < n; t++) out[t] = src[rows[t]];
            else memcpy(out, src, (size_t)n * sizeof(double));
        }
        return;
    }
    const long B = 64;
    const double *rp[64];
    for (long t0 = 0; t0 < n; t0 += B) {
        long m = n - t0 < B ? n - t0 : B;
        for (long u = 0; u < m; u++) rp[u] = X + (rows ? rows[t0 + u] : t0 + u) * p;
        for (long j = 0; j < p; j++) {
            double *out = Xt + j * n + t0;
            for (long u = 0; u < m; u++) out[u] = rp[u][j];
        }
    }
}

void glm_design(const double *X, int cols, long N, long p, const long *rows, long n, const double *w,
                int intercept, int standardize, double *Xt, double *xm, double *xs, unsigned char *varies) {
    gather(X, cols, N, p, rows, n, Xt);
    for (long j = 0; j < p; j++) {
        double *out = Xt + j * n;
        double lo[4] = {out[0], out[0], out[0], out[0]}, hi[4] = {out[0], out[0], out[0], out[0]};
        long t = 0;
        for (; t + 4 <= n; t += 4)
            for (int u = 0; u < 4; u++) { lo[u] = dmin(lo[u], out[t + u]); hi[u] = dmax(hi[u], out[t + u]); }
        for (; t < n; t++) { lo[0] = dmin(lo[0], out[t]); hi[0] = dmax(hi[0], out[t]); }
        varies[j] = dmin(dmin(lo[0], lo[1]), dmin(lo[2], lo[3])) < dmax(dmax(hi[0], hi[1]), dmax(hi[2], hi[3]));
        double mean = dot(w, out, n);
        double sd = 1.0;
        if (standardize) {
            v4d s = splat4(0.0), mv = splat4(mean);
            long i = 0;
            for (; i + 4 <= n; i += 4) { v4d d = ld4(out + i) - mv; s += ld4(w + i) * (d * d); }
            double tail = s[0];
            for (; i < n; i++) { double d = out[i] - mean; tail += w[i] * (d * d); }
            s[0] = tail;
            sd = sqrt(hsum4(s));
            if (!(sd > 0.0) || !varies[j]) sd = 1.0;  /* a constant variable stays out of the fit */
        }
        double c = intercept ? mean : 0.0;
        xm[j] = c;
        xs[j] = sd;
        long i = 0;
        v4d cv = splat4(c), sv = splat4(sd);
        for (; i + 4 <= n; i += 4) st4(out + i, (ld4(out + i) - cv) / sv);
        for (; i < n; i++) out[i] = (out[i] - c) / sd;
    }
}
