/* glmnet's dense binomial (two-class, lognet) and poisson (fishnet) elastic-net paths:
 * IRLS with naive coordinate descent on the working residual, strong-rule sets with KKT
 * checks, warm starts along lambda; the iterations and rules of glmnetpp 4.1
 * (elnet_point/internal/binomial_base.hpp, binomial_two_class.hpp, poisson_base.hpp,
 * poisson_naive.hpp; elnet_path/binomial_base.hpp, poisson_base.hpp, base.hpp).
 *
 * X is the standardized design stored column by column (p rows of n values), w the
 * observation weights normalized to sum 1, y in [0, 1] (binomial: the second class's
 * indicator) or counts (poisson), g the offset.  Outputs are on the standardized scale.
 * family: 1 binomial, 2 poisson.  res = {lmu, nlp, jerr}; jerr != 0 is an error code
 * (negative: maxit reached at lambda -jerr; 8001 / 9001: null probability too small / large).
 * Build: statprune/engines/_native/__init__.py (cc -O3 -march=native -ffp-contract=off, no fast-math: IEEE order
 * kept).  Loaded by statprune/engines/_native/__init__.py.
 */
#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "glmnet_path.h"

/* the gradient r'x and, when xv is not NULL, the weighted square v'x^2 in one sweep */
static double dot_wsq(const double *restrict r, const double *restrict v, const double *restrict x, double *xv,
                      long n) {
    if (!xv) return dot(r, x, n);
    v4d s = splat4(0.0), q = splat4(0.0);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d xi = ld4(x + i);
        s += ld4(r + i) * xi;
        q += ld4(v + i) * xi * xi;
    }
    for (; i < n; i++) { s[0] += r[i] * x[i]; q[0] += v[i] * x[i] * x[i]; }
    *xv = hsum4(q);
    return hsum4(s);
}

/* r -= d * v .* x (and, with_eta, eta += d * x: the linear predictor follows the coefficients), then the
 * gradient of the next coordinate from the updated r in the same sweep (and its v'x^2 into *xvnext when
 * xvnext is not NULL: the sweep computes it anyway, the data being in registers); no next coordinate when
 * xnext is NULL.  Without with_eta, sync_eta brings the predictor up to date once per IRLS step. */
static inline __attribute__((always_inline)) double update_and_dot(
    int with_eta, double *restrict r, double *restrict eta, const double *restrict v, const double *restrict x,
    double d, const double *restrict xnext, double *xvnext, long n) {
    long i = 0;
    v4d dv = splat4(d), s = splat4(0.0), q = splat4(0.0);
    if (!xnext) {
        for (; i + 4 <= n; i += 4) {
            v4d xi = ld4(x + i);
            st4(r + i, ld4(r + i) - dv * ld4(v + i) * xi);
            if (with_eta) st4(eta + i, ld4(eta + i) + dv * xi);
        }
        for (; i < n; i++) {
            r[i] -= d * v[i] * x[i];
            if (with_eta) eta[i] += d * x[i];
        }
        return 0.0;
    }
    if (!xvnext) {
        for (; i + 4 <= n; i += 4) {
            v4d xi = ld4(x + i);
            v4d ri = ld4(r + i) - dv * ld4(v + i) * xi;
            st4(r + i, ri);
            if (with_eta) st4(eta + i, ld4(eta + i) + dv * xi);
            s += ri * ld4(xnext + i);
        }
    } else {
        for (; i + 4 <= n; i += 4) {
            v4d xi = ld4(x + i), vi = ld4(v + i), xn = ld4(xnext + i);
            v4d ri = ld4(r + i) - dv * vi * xi;
            st4(r + i, ri);
            if (with_eta) st4(eta + i, ld4(eta + i) + dv * xi);
            s += ri * xn;
            q += vi * xn * xn;
        }
    }
    for (; i < n; i++) {
        r[i] -= d * v[i] * x[i];
        if (with_eta) eta[i] += d * x[i];
        s[0] += r[i] * xnext[i];
        q[0] += v[i] * xnext[i] * xnext[i];
    }
    if (xvnext) *xvnext = hsum4(q);
    return hsum4(s);
}

/* Up to this many rows the predictor is updated with the residual (with_eta): its vector stays in cache
 * beside r, v and the two columns; above it, one sync_eta per IRLS step costs less than the extra stream
 * in every update (measured: 7% less time at 18,000 rows fused, 9% less at 90,000 rows deferred).  The
 * choice depends on n only, so the numbers do not depend on the machine. */
#define FUSED_ETA_MAX_N 40000

/* eta += d0 + sum_l (a - as)[ia[l]] * x_ia[l]: the linear predictor after an IRLS step's coordinate updates
 * (as = the coefficients when eta was last brought up to date, 0 for a variable that entered since), the
 * changes added to each element in the order of ia, four columns per sweep of eta */
static void sync_eta(double *restrict eta, const double *X, long n, const double *a, const double *as,
                     const long *ia, long nin, double d0) {
    long idx[4];
    double dl[4];
    int m = 0;
    if (d0 != 0.0) for (long i = 0; i < n; i++) eta[i] += d0;
    for (long l = 0; l <= nin; l++) {
        if (l < nin) {
            long k = ia[l];
            double d = a[k] - as[k];
            if (d == 0.0) continue;
            idx[m] = k; dl[m] = d; m++;
            if (m < 4) continue;
        }
        if (m == 0) break;
        const double *x0 = X + idx[0] * n, *x1 = X + idx[m > 1 ? 1 : 0] * n, *x2 = X + idx[m > 2 ? 2 : 0] * n,
                     *x3 = X + idx[m > 3 ? 3 : 0] * n;
        double e0 = dl[0], e1 = m > 1 ? dl[1] : 0.0, e2 = m > 2 ? dl[2] : 0.0, e3 = m > 3 ? dl[3] : 0.0;
        if (m == 4) {
            v4d c0 = splat4(e0), c1 = splat4(e1), c2 = splat4(e2), c3 = splat4(e3);
            long i = 0;
            for (; i + 4 <= n; i += 4)
                st4(eta + i, (((ld4(eta + i) + c0 * ld4(x0 + i)) + c1 * ld4(x1 + i)) + c2 * ld4(x2 + i)) +
                                 c3 * ld4(x3 + i));
            for (; i < n; i++) eta[i] = (((eta[i] + e0 * x0[i]) + e1 * x1[i]) + e2 * x2[i]) + e3 * x3[i];
        } else {
            for (int t = 0; t < m; t++) {
                const double *xt = X + idx[t] * n;
                double et = dl[t];
                for (long i = 0; i < n; i++) eta[i] += et * xt[i];
            }
        }
        m = 0;
    }
}

/* one coordinate-descent pass over idx[0..m) (glmnet's update, in order), then the intercept; with
 * fresh_xv the pass also computes xv[k] = v'x_k^2 of each coordinate as it reaches it (glmnet computes
 * them for the strong set at the start of each IRLS step: the same numbers without a separate sweep) */
static inline __attribute__((always_inline)) double cd_pass_impl(
    int with_eta, const long *idx, long m, int full, int fresh_xv, const double *X, long n, long p, double *r,
    double *eta, const double *v, double *a, double *xv, const double *vp, const double *cl, double ab, double dem,
    unsigned char *active, long *ia, long *nin, double *as, int intr, double *b0, double vsum) {
    double dlx = 0.0;
    double gnext = 0.0;
    int have = 0;
    for (long t = 0; t < m; t++) {
        long k = idx[t];
        const double *xk = X + k * n;
        double ak = a[k];
        double gk = have ? gnext : dot_wsq(r, v, xk, fresh_xv ? &xv[k] : NULL, n);
        have = 0;
        double anew = soft(gk, ak, xv[k], vp[k], ab, dem, cl[k], cl[p + k]);
        a[k] = anew;
        if (anew == ak) continue;
        if (full && !active[k]) { active[k] = 1; ia[(*nin)++] = k; as[k] = 0.0; }
        double d = anew - ak;
        dlx = dmax(xv[k] * d * d, dlx);
        if (t + 1 < m) {
            gnext = update_and_dot(with_eta, r, eta, v, xk, d, X + idx[t + 1] * n, fresh_xv ? &xv[idx[t + 1]] : NULL,
                                   n);
            have = 1;
        } else {
            update_and_dot(with_eta, r, eta, v, xk, d, NULL, NULL, n);
        }
    }
    if (intr) {
        double rs = 0.0;
        for (long i = 0; i < n; i++) rs += r[i];
        double d = rs / vsum;
        if (d != 0.0) {
            *b0 += d;
            dlx = dmax(vsum * d * d, dlx);
            if (with_eta) for (long i = 0; i < n; i++) { r[i] -= d * v[i]; eta[i] += d; }
            else for (long i = 0; i < n; i++) r[i] -= d * v[i];
        }
    }
    return dlx;
}

/* cd_pass_impl with the predictor fused into the updates (with_eta) or not, each specialized */
static double cd_pass(int with_eta, const long *idx, long m, int full, int fresh_xv, const double *X, long n, long p,
                      double *r, double *eta, const double *v, double *a, double *xv, const double *vp,
                      const double *cl, double ab, double dem, unsigned char *active, long *ia, long *nin, double *as,
                      int intr, double *b0, double vsum) {
    if (with_eta)
        return cd_pass_impl(1, idx, m, full, fresh_xv, X, n, p, r, eta, v, a, xv, vp, cl, ab, dem, active, ia, nin, as,
                            intr, b0, vsum);
    return cd_pass_impl(0, idx, m, full, fresh_xv, X, n, p, r, eta, v, a, xv, vp, cl, ab, dem, active, ia, nin, as,
                        intr, b0, vsum);
}

typedef struct {
    int family;
    long n, p;
    const double *X, *y, *w, *g;
    double fmax;
    double *q, *v, *r, *eta;    /* mean, IRLS weight, weighted residual, linear predictor */
    double vsum;                /* sum of v (binomial xmz, poisson v0) */
} glm_t;

/* mean, weights and residual from the linear predictor eta */
static void glm_update(glm_t *s) {
    long n = s->n;
    double vs = 0.0;
    for (long i = 0; i < n; i++) {
        double f = s->eta[i], mu;
        if (s->family == 1) {
            if (f < -s->fmax) mu = 0.0;
            else if (f > s->fmax) mu = 1.0;
            else mu = 1.0 / (1.0 + exp(-f));
            s->q[i] = mu;
            s->v[i] = s->w[i] * mu * (1.0 - mu);
        } else {
            double fa = dmin(fabs(f), s->fmax);
            mu = exp(copysign(fa, f));
            s->q[i] = mu;
            s->v[i] = s->w[i] * mu;
        }
        vs += s->v[i];
        s->r[i] = s->w[i] * (s->y[i] - mu);
    }
    s->vsum = vs;
}

int glm_path(int family, long n, long p, const double *X, const double *y, const double *w, const double *g,
             int has_offset, const unsigned char *ju, const double *vp, const double *cl, double alpha,
             double flmin, const double *ulam, int nlam, double thr, long maxit, int intr, double pmin,
             double sml, double devmax, int mnlam, double eps, double big, long ne,
             double *a0o, double *ao, double *almo, double *devo, double *dev0_out, long *res) {
    glm_t s;
    s.family = family; s.n = n; s.p = p; s.X = X; s.y = y; s.w = w; s.g = g;
    s.fmax = family == 1 ? log(1.0 / pmin - 1.0) : log(DBL_MAX * 0.1);
    if (family == 2) sml *= 10;  /* elnet_path/poisson_base.hpp: out.sml *= 10 */
    s.q = malloc(n * sizeof(double)); s.v = malloc(n * sizeof(double));
    s.r = malloc(n * sizeof(double)); s.eta = malloc(n * sizeof(double));
    double *a = calloc(p, sizeof(double)), *as = calloc(p, sizeof(double)), *xv = calloc(p, sizeof(double));
    double *ga = calloc(p, sizeof(double));
    long *ia = calloc(p, sizeof(long)), *sidx = calloc(p, sizeof(long));
    unsigned char *active = calloc(p, 1), *strong = calloc(p, 1);
    long lmu = 0, nlp = 0, jerr = 0, nin = 0;
    int fused = n <= FUSED_ETA_MAX_N;  /* the predictor updated with the residual, or once per IRLS step */
    if (!s.q || !s.v || !s.r || !s.eta || !a || !as || !xv || !ga || !ia || !sidx || !active || !strong) { jerr = 10000; goto done; }

    double b0 = 0.0, dev1 = 0.0, dev0 = 0.0;
    double qy = dot(w, y, n);  /* weighted mean of y (w sums to 1) */
    /* ---- null model (construct) */
    if (family == 1) {
        double q0 = qy;
        if (q0 <= pmin) { jerr = 8001; goto done; }
        if (q0 >= 1.0 - pmin) { jerr = 9001; goto done; }
        if (!intr) q0 = 0.5;
        double bz = intr ? log(q0 / (1.0 - q0)) : 0.0;
        if (!has_offset) {
            b0 = bz;
            for (long i = 0; i < n; i++) s.eta[i] = b0;
            glm_update(&s);
            /* glmnet sets these directly: identical values */
            dev1 = -(bz * q0 + log(1.0 - q0));
        } else {
            b0 = 0.0;
            if (intr) {  /* azero: Newton on the intercept with the offset */
                double *e = malloc(n * sizeof(double)), *pp = malloc(n * sizeof(double));
                if (!e || !pp) { free(e); free(pp); jerr = 10000; goto done; }
                for (long i = 0; i < n; i++) { e[i] = exp(-g[i]); pp[i] = 1.0 / (1.0 + e[i]); }
                double az = 0.0;
                for (;;) {
                    double ws = 0.0, qp = 0.0;
                    for (long i = 0; i < n; i++) { ws += w[i] * pp[i] * (1.0 - pp[i]); qp += w[i] * pp[i]; }
                    double d = (qy - qp) / ws;
                    az += d;
                    if (fabs(d) < 1e-7) break;
                    double ea0 = exp(-az);
                    for (long i = 0; i < n; i++) pp[i] = 1.0 / (1.0 + ea0 * e[i]);
                }
                free(e); free(pp);
                b0 = az;
            }
            for (long i = 0; i < n; i++) s.eta[i] = b0 + g[i];
            /* glmnet: q = 1/(1+exp(-b0-g)) without the clipping */
            double vs = 0.0, sl = 0.0;
            for (long i = 0; i < n; i++) {
                double mu = 1.0 / (1.0 + exp(-b0 - g[i]));
                s.q[i] = mu; s.v[i] = w[i] * mu * (1.0 - mu); s.r[i] = w[i] * (y[i] - mu);
                vs += s.v[i];
                sl += w[i] * (y[i] * g[i] + log(1.0 - mu));
            }
            s.vsum = vs;
            dev1 = -(b0 * qy + sl);
        }
        dev0 = dev1;
        for (long i = 0; i < n; i++) {
            if (y[i] > 0.0) dev0 += w[i] * y[i] * log(y[i]);
            if (y[i] < 1.0) dev0 += w[i] * (1.0 - y[i]) * log(1.0 - y[i]);
        }
    } else {
        double yb = qy, dv0;
        if (!has_offset) {
            b0 = intr ? log(yb) : 0.0;
            dv0 = intr ? yb * (b0 - 1.0) : -1.0;
        } else {
            double v0 = 0.0;
            for (long i = 0; i < n; i++) v0 += w[i] * exp(copysign(dmin(fabs(g[i]), s.fmax), g[i]));
            if (intr) {
                b0 = log(yb / v0);
                dv0 = dot(w, y, n) * 0.0;  /* set below */
                double tg = 0.0;
                for (long i = 0; i < n; i++) tg += w[i] * y[i] * g[i];
                dv0 = tg - yb * (1.0 - b0);
            } else {
                b0 = 0.0;
                double tg = 0.0;
                for (long i = 0; i < n; i++) tg += w[i] * y[i] * g[i];
                dv0 = tg - v0;
            }
        }
        for (long i = 0; i < n; i++) s.eta[i] = b0 + (has_offset ? g[i] : 0.0);
        glm_update(&s);
        dev0 = -yb;
        for (long i = 0; i < n; i++) if (w[i] * y[i] > 0.0) dev0 += w[i] * y[i] * log(y[i]);
        dev0 -= dv0;
        dev1 = dv0;  /* poisson: the null log-likelihood part */
    }
    *dev0_out = dev0;
    thr *= dev0;
    for (long j = 0; j < p; j++) if (ju[j]) ga[j] = fabs(dot(s.r, X + j * n, n));

    /* ---- path */
    double omb = 1.0 - alpha, alf = lambda_ratio(flmin, eps, nlam), alm = 0.0;
    int mnl = mnlam < nlam ? mnlam : nlam;
    for (int m = 0; m < nlam; m++) {
        alm = lambda_strong(m, alm, flmin, ulam, alf, big, p, ju, vp, ga, alpha, strong);
        double dem = alm * omb, ab = alm * alpha;
        int too_small = 0;
        /* IRLS */
        for (;;) {
            if (nlp > maxit) { jerr = -(m + 1); goto done; }
            double bs0 = b0;
            for (long l = 0; l < nin; l++) as[ia[l]] = a[ia[l]];
            /* WLS: full passes over the strong set (the first one computes xv), then active-set passes */
            long ns = 0;
            for (long j = 0; j < p; j++) if (strong[j]) sidx[ns++] = j;
            int fresh_xv = 1;
            for (;;) {
                nlp++;
                double dlx = cd_pass(fused, sidx, ns, 1, fresh_xv, X, n, p, s.r, s.eta, s.v, a, xv, vp, cl, ab, dem,
                                     active, ia, &nin, as, intr, &b0, s.vsum);
                fresh_xv = 0;
                if (dlx < thr) break;
                if (nlp > maxit) { jerr = -(m + 1); goto done; }
                for (;;) {
                    nlp++;
                    dlx = cd_pass(fused, ia, nin, 0, 0, X, n, p, s.r, s.eta, s.v, a, xv, vp, cl, ab, dem, active, ia,
                                  &nin, as, intr, &b0, s.vsum);
                    if (dlx < thr) break;
                    if (nlp > maxit) { jerr = -(m + 1); goto done; }
                }
            }
            /* IRLS update: the predictor (fused: it followed the updates; else from the coefficients' changes);
             * new mean, weights, residual */
            if (!fused) sync_eta(s.eta, X, n, a, as, ia, nin, b0 - bs0);
            glm_update(&s);
            if (family == 1 && s.vsum <= (1.0 + pmin) * pmin * (1.0 - pmin)) { too_small = 1; break; }
            double d0 = b0 - bs0;
            int conv = !(s.vsum * d0 * d0 > thr);
            if (conv) {
                for (long l = 0; l < nin; l++) {
                    long k = ia[l];
                    double d = a[k] - as[k];
                    if (xv[k] * d * d > thr) { conv = 0; break; }
                }
            }
            if (conv) {
                int kkt_ok = 1;
                long nk = 0;  /* sidx now lists the variables outside the strong set */
                for (long k = 0; k < p; k++) if (!strong[k] && ju[k]) sidx[nk++] = k;
                abs_dots(s.r, X, n, sidx, nk, ga);
                for (long t = 0; t < nk; t++) {
                    long k = sidx[t];
                    if (ga[k] > ab * vp[k]) { strong[k] = 1; kkt_ok = 0; }
                }
                if (kkt_ok) break;
            }
        }
        /* store the point */
        long me = store_coefs(m, a, ia, nin, ao, p);
        a0o[m] = b0;
        almo[m] = alm;
        double dm;
        if (family == 1) {
            double devi = 0.0, pmax = 1.0 - pmin;
            for (long i = 0; i < n; i++) {
                double pi = dmin(dmax(pmin, s.q[i]), pmax);
                devi -= w[i] * (y[i] * log(pi) + (1.0 - y[i]) * log(1.0 - pi));
            }
            dm = (dev1 - devi) / dev0;
        } else {
            double tf = 0.0;
            for (long i = 0; i < n; i++) tf += w[i] * y[i] * s.eta[i];
            dm = (tf - s.vsum - dev1) / dev0;
        }
        devo[m] = dm;
        lmu = m + 1;
        if (lmu < mnl || flmin >= 1.0) continue;
        double change;
        if (family == 1) change = dm - (m == 0 ? 0.0 : devo[m - 1]);
        else change = (dm - (m + 1 >= mnl ? devo[m - mnl + 1] : 0.0)) / dm;
        if (me > ne || change < sml || dm > devmax) break;
        if (too_small) break;
    }
done:
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(s.q); free(s.v); free(s.r); free(s.eta); free(a); free(as); free(xv); free(ga); free(ia); free(sidx);
    free(active); free(strong);
    return 0;
}
