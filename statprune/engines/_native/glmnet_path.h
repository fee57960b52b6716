/* Pieces of glmnet's path loop shared by the C kernels (elnet.c, glmpath.c, multinet.c): the coordinate
 * update, the lambda sequence, the sequential strong rule and the storing of a solution, as glmnetpp 4.1 writes them
 * (elnet_path/base.hpp, elnet_point/internal/base.hpp).  Included, not compiled on its own;
 * statprune/engines/_native/__init__.py hashes it with the sources. */
#ifndef STATPRUNE_GLMNET_PATH_H
#define STATPRUNE_GLMNET_PATH_H
#include <math.h>
#include <string.h>

static inline double dmax(double a, double b) { return a > b ? a : b; }
static inline double dmin(double a, double b) { return a < b ? a : b; }

/* four doubles in one vector (GCC/Clang vector extensions: one AVX register with -march=native, two SSE2
 * registers without); loads and stores through memcpy, so any alignment is fine */
typedef double v4d __attribute__((vector_size(32)));
static inline v4d ld4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
static inline void st4(double *p, v4d v) { memcpy(p, &v, sizeof v); }
static inline v4d splat4(double d) { v4d v = {d, d, d, d}; return v; }
static inline double hsum4(v4d s) { return (s[0] + s[1]) + (s[2] + s[3]); }

/* reductions with four independent partial sums, lane j summing the elements i = j mod 4 in order (the
 * order is fixed, so results do not depend on the machine; it is not glmnet's order, which only matters at
 * rounding level) */
static inline double dot(const double *a, const double *b, long n) {
    v4d s = splat4(0.0);
    long i = 0;
    for (; i + 4 <= n; i += 4) s += ld4(a + i) * ld4(b + i);
    double t = s[0];
    for (; i < n; i++) t += a[i] * b[i];
    s[0] = t;
    return hsum4(s);
}

/* |r'x_k| into ga[k] for every k in idx[0..m): four columns per sweep of r (four independent sums, r read
 * once); each column's sum is dot()'s, in dot()'s order, so the numbers are dot()'s */
static inline void abs_dots(const double *r, const double *X, long n, const long *idx, long m, double *ga) {
    long t = 0;
    for (; t + 4 <= m; t += 4) {
        const double *x0 = X + idx[t] * n, *x1 = X + idx[t + 1] * n, *x2 = X + idx[t + 2] * n,
                     *x3 = X + idx[t + 3] * n;
        v4d s0 = splat4(0.0), s1 = splat4(0.0), s2 = splat4(0.0), s3 = splat4(0.0);
        long i = 0;
        for (; i + 4 <= n; i += 4) {
            v4d ri = ld4(r + i);
            s0 += ri * ld4(x0 + i);
            s1 += ri * ld4(x1 + i);
            s2 += ri * ld4(x2 + i);
            s3 += ri * ld4(x3 + i);
        }
        for (; i < n; i++) {
            s0[0] += r[i] * x0[i];
            s1[0] += r[i] * x1[i];
            s2[0] += r[i] * x2[i];
            s3[0] += r[i] * x3[i];
        }
        ga[idx[t]] = fabs(hsum4(s0));
        ga[idx[t + 1]] = fabs(hsum4(s1));
        ga[idx[t + 2]] = fabs(hsum4(s2));
        ga[idx[t + 3]] = fabs(hsum4(s3));
    }
    for (; t < m; t++) ga[idx[t]] = fabs(dot(r, X + idx[t] * n, n));
}

/* glmnet's coordinate update: soft-threshold gk + ak * xvk at vpk * ab, scale, clip to [lo, hi] */
static inline double soft(double gk, double ak, double xvk, double vpk, double ab, double dem, double lo, double hi) {
    double u = gk + ak * xvk;
    double v = fabs(u) - vpk * ab;
    double anew = 0.0;
    if (v > 0.0) anew = dmax(lo, dmin(hi, copysign(v, u) / (xvk + vpk * dem)));
    return anew;
}

/* lambda_max from the absolute gradients at the null fit: max |g_j| / vp_j over the penalized
 * variables in the fit, over max(alpha, 1e-3) */
static inline double lambda_start(long p, const unsigned char *ju, const double *vp, const double *gabs,
                                  double alpha) {
    double alm0 = 0.0;
    for (long j = 0; j < p; j++) {
        if (!ju[j] || vp[j] <= 0.0) continue;
        alm0 = dmax(alm0, gabs[j] / vp[j]);
    }
    return alm0 / dmax(alpha, 1e-3);
}

/* the ratio of successive lambdas of glmnet's own sequence (1 with the user's lambdas) */
static inline double lambda_ratio(double flmin, double eps, int nlam) {
    return flmin < 1.0 ? pow(dmax(eps, flmin), 1.0 / (nlam - 1.0)) : 1.0;
}

/* the m-th lambda after alm (the (m-1)-th): the user's (flmin >= 1), else `big` at m = 0 (nothing
 * enters), lambda_max * alf at m = 1, alm * alf after.  *prev gets the lambda the strong rule
 * compares with: the previous one, lambda_max at m = 1. */
static inline double lambda_next(int m, double alm, double flmin, const double *ulam, double alf, double big,
                                 long p, const unsigned char *ju, const double *vp, const double *gabs, double alpha,
                                 double *prev) {
    *prev = alm;
    if (flmin >= 1.0) return ulam[m];
    if (m > 1) return alm * alf;
    if (m == 0) return big;
    double alm0 = lambda_start(p, ju, vp, gabs, alpha);
    *prev = alm0;
    return alm0 * alf;
}

/* the sequential strong rule: j enters the strong set when |g_j| > alpha (2 lambda - lambda_prev) vp_j */
static inline void strong_rule(long p, const unsigned char *ju, const double *vp, const double *gabs, double alpha,
                               double alm, double prev, unsigned char *strong) {
    double tlam = alpha * (2.0 * alm - prev);
    for (long j = 0; j < p; j++)
        if (ju[j] && !strong[j] && gabs[j] > tlam * vp[j]) strong[j] = 1;
}

/* the solution at the m-th lambda into row m of ao (p columns): the active coefficients a[ia[0..nin)];
 * returns how many are nonzero (glmnet's path stops when more than ne are) */
static inline long store_coefs(int m, const double *a, const long *ia, long nin, double *ao, long p) {
    long me = 0;
    for (long l = 0; l < nin; l++) {
        ao[(long)m * p + ia[l]] = a[ia[l]];
        if (a[ia[l]] != 0.0) me++;
    }
    return me;
}

/* the m-th lambda (lambda_next) and the strong set grown by the sequential strong rule at it */
static inline double lambda_strong(int m, double alm, double flmin, const double *ulam, double alf, double big,
                                   long p, const unsigned char *ju, const double *vp, const double *gabs,
                                   double alpha, unsigned char *strong) {
    double prev;
    double next = lambda_next(m, alm, flmin, ulam, alf, big, p, ju, vp, gabs, alpha, &prev);
    strong_rule(p, ju, vp, gabs, alpha, next, prev, strong);
    return next;
}

#endif
