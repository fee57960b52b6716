/* glmnet's dense Gaussian elastic-net paths (covariance and naive methods) on a
 * precomputed p x p Gram matrix: the same iterations as statprune/_gram.py's numba
 * kernels (_elnet_cov_path, _elnet_naive_path), in C so that a fresh process needs
 * neither numba nor a JIT.  Loaded with ctypes by statprune/_native/__init__.py.
 * Build: statprune/engines/_native/__init__.py (cc -O3, no -ffast-math: IEEE order kept).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glmnet_path.h"

/* coefficient k moved by d (gk: its gradient before the move): glmnet's convergence measure
 * max(xv_k d^2, dlx) is returned, the R^2 gain added to *rsq, g -= d * row over len entries */
static double take_step(double d, double gk, double xvk, double dlx, double *rsq, const double *row, double *g,
                        long len) {
    *rsq += d * (2.0 * gk - d * xvk);
    for (long j = 0; j < len; j++) g[j] -= row[j] * d;
    return dmax(xvk * d * d, dlx);
}

/* store the solution at lambda m; 1 when glmnet's path stops there */
static int record_lambda(int m, const double *a, const long *ia, long nin, double rsq, double rsq0, double alm,
                         double *ao, double *rsqo, double *almo, int mnl, double flmin, long ne, double sml,
                         double rsqmax, long ni) {
    long me = store_coefs(m, a, ia, nin, ao, ni);
    rsqo[m] = rsq;
    almo[m] = alm;
    if (m + 1 < mnl || flmin >= 1.0) return 0;
    double prop = rsq == 0.0 ? INFINITY : (rsq - rsq0) / rsq;
    return me > ne || prop < sml || rsq > rsqmax;
}

/* covariance method: partial fit on the active set */
static int partial_fit(const double *G, double *Ga, double *g, double *a, const double *xv, const double *vp,
                       const double *cl, const long *ia, long nin, const unsigned char *active,
                       const unsigned char *ju, double *da, double *ga, double *aa, double *tmp, double ab,
                       double dem, double thr, long maxit, long *nlp, double *rsq, long ni) {
    for (long l = 0; l < nin; l++) {
        long k = ia[l];
        da[l] = a[k];
        aa[l] = a[k];
        ga[l] = g[k];
    }
    int failed = 0;
    for (;;) {
        (*nlp)++;
        double dlx = 0.0;
        for (long l = 0; l < nin; l++) {
            long k = ia[l];
            double ak = aa[l];
            double anew = soft(ga[l], ak, xv[k], vp[k], ab, dem, cl[k], cl[ni + k]);
            aa[l] = anew;
            if (anew == ak) continue;
            dlx = take_step(anew - ak, ga[l], xv[k], dlx, rsq, Ga + l * ni, ga, nin);
        }
        if (dlx < thr) break;
        if (*nlp > maxit) { failed = 1; break; }
    }
    for (long l = 0; l < nin; l++) {
        long k = ia[l];
        a[k] = aa[l];
        g[k] = ga[l];
    }
    if (failed) return 1;
    for (long j = 0; j < ni; j++) tmp[j] = 0.0;
    for (long l = 0; l < nin; l++) {
        double dl = da[l] - aa[l];
        if (dl == 0.0) continue;
        const double *row = G + ia[l] * ni;
        for (long j = 0; j < ni; j++) tmp[j] += dl * row[j];
    }
    for (long j = 0; j < ni; j++) {
        if (active[j] || !ju[j]) continue;
        g[j] += tmp[j];
    }
    return 0;
}

int elnet_cov_path(long ni, const double *G, const double *g_in, const double *xv, const double *vp,
                   const double *cl, const unsigned char *ju, double beta, double flmin, const double *ulam,
                   int nlam, double thr, long maxit, double sml, double rsqmax, int mnlam, double eps, double big,
                   long ne, double *ao, double *almo, double *rsqo, long *res) {
    double *g = malloc(ni * sizeof(double)), *a = calloc(ni, sizeof(double)), *Ga = calloc(ni * ni, sizeof(double));
    double *da = calloc(ni, sizeof(double)), *ga = calloc(ni, sizeof(double)), *aa = calloc(ni, sizeof(double));
    double *tmp = calloc(ni, sizeof(double)), *gabs = calloc(ni, sizeof(double));
    long *ia = calloc(ni, sizeof(long));
    unsigned char *active = calloc(ni, 1);
    if (!g || !a || !Ga || !da || !ga || !aa || !tmp || !gabs || !ia || !active) {
        free(g); free(a); free(Ga); free(da); free(ga); free(aa); free(tmp); free(gabs); free(ia); free(active);
        return -1;
    }
    memcpy(g, g_in, ni * sizeof(double));
    long nin = 0, nlp = 0, jerr = 0, lmu = 0;
    double rsq = 0.0;
    int iz = 0;
    double omb = 1.0 - beta, alf = lambda_ratio(flmin, eps, nlam), prev;
    int mnl = mnlam < nlam ? mnlam : nlam;
    double alm = 0.0;
    for (int m = 0; m < nlam; m++) {
        if (m == 1 && flmin < 1.0) for (long j = 0; j < ni; j++) gabs[j] = fabs(g[j]);
        alm = lambda_next(m, alm, flmin, ulam, alf, big, ni, ju, vp, gabs, beta, &prev);
        double dem = alm * omb, ab = alm * beta, rsq0 = rsq;
        int failed = 0;
        if (iz) failed = partial_fit(G, Ga, g, a, xv, vp, cl, ia, nin, active, ju, da, ga, aa, tmp, ab, dem, thr,
                                     maxit, &nlp, &rsq, ni);
        while (!failed) {
            nlp++;
            double dlx = 0.0;
            for (long k = 0; k < ni; k++) {
                if (!ju[k]) continue;
                double ak = a[k];
                double anew = soft(g[k], ak, xv[k], vp[k], ab, dem, cl[k], cl[ni + k]);
                a[k] = anew;
                if (anew == ak) continue;
                const double *row = G + k * ni;
                if (!active[k]) {
                    for (long l = 0; l < nin; l++) {
                        double c = row[ia[l]];
                        Ga[nin * ni + l] = c;
                        Ga[l * ni + nin] = c;
                    }
                    Ga[nin * ni + nin] = row[k];
                    ia[nin] = k;
                    nin++;
                    active[k] = 1;
                }
                dlx = take_step(anew - ak, g[k], xv[k], dlx, &rsq, row, g, ni);
            }
            if (dlx < thr) break;
            if (nlp > maxit) { failed = 1; break; }
            iz = 1;
            failed = partial_fit(G, Ga, g, a, xv, vp, cl, ia, nin, active, ju, da, ga, aa, tmp, ab, dem, thr, maxit,
                                 &nlp, &rsq, ni);
        }
        if (failed) { jerr = -(m + 1); break; }
        lmu = m + 1;
        if (record_lambda(m, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml, rsqmax, ni)) break;
    }
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(g); free(a); free(Ga); free(da); free(ga); free(aa); free(tmp); free(gabs); free(ia); free(active);
    return 0;
}

static double naive_pass(const double *G, double *g, double *a, const double *xv, const double *vp,
                         const double *cl, const unsigned char *sel, long *ia, long *nin, unsigned char *active,
                         double ab, double dem, double *rsq, long ni) {
    double dlx = 0.0;
    for (long k = 0; k < ni; k++) {
        if (!sel[k]) continue;
        double ak = a[k], gk = g[k];
        double anew = soft(gk, ak, xv[k], vp[k], ab, dem, cl[k], cl[ni + k]);
        a[k] = anew;
        if (anew == ak) continue;
        if (!active[k]) { ia[*nin] = k; (*nin)++; active[k] = 1; }
        dlx = take_step(anew - ak, gk, xv[k], dlx, rsq, G + k * ni, g, ni);
    }
    return dlx;
}

static double naive_active_pass(const double *G, double *g, double *a, const double *xv, const double *vp,
                                const double *cl, const long *ia, long nin, double ab, double dem, double *rsq,
                                long ni) {
    double dlx = 0.0;
    for (long l = 0; l < nin; l++) {
        long k = ia[l];
        double ak = a[k], gk = g[k];
        double anew = soft(gk, ak, xv[k], vp[k], ab, dem, cl[k], cl[ni + k]);
        a[k] = anew;
        if (anew == ak) continue;
        dlx = take_step(anew - ak, gk, xv[k], dlx, rsq, G + k * ni, g, ni);
    }
    return dlx;
}

int elnet_naive_path(long ni, const double *G, const double *g_in, const double *xv, const double *vp,
                     const double *cl, const unsigned char *ju, double beta, double flmin, const double *ulam,
                     int nlam, double thr, long maxit, double sml, double rsqmax, int mnlam, double eps,
                     double big, long ne, double *ao, double *almo, double *rsqo, long *res) {
    double *g = malloc(ni * sizeof(double)), *gabs = calloc(ni, sizeof(double)), *a = calloc(ni, sizeof(double));
    long *ia = calloc(ni, sizeof(long));
    unsigned char *active = calloc(ni, 1), *strong = calloc(ni, 1);
    if (!g || !gabs || !a || !ia || !active || !strong) {
        free(g); free(gabs); free(a); free(ia); free(active); free(strong);
        return -1;
    }
    memcpy(g, g_in, ni * sizeof(double));
    for (long j = 0; j < ni; j++) if (ju[j]) gabs[j] = fabs(g[j]);
    long nin = 0, nlp = 0, jerr = 0, lmu = 0;
    double rsq = 0.0;
    int iz = 0;
    double omb = 1.0 - beta, alf = lambda_ratio(flmin, eps, nlam), alm = 0.0;
    int mnl = mnlam < nlam ? mnlam : nlam;
    for (int m = 0; m < nlam; m++) {
        alm = lambda_strong(m, alm, flmin, ulam, alf, big, ni, ju, vp, gabs, beta, strong);
        double dem = alm * omb, ab = alm * beta, rsq0 = rsq;
        int failed = 0;
        if (iz) {
            for (;;) {
                nlp++;
                double dlx = naive_active_pass(G, g, a, xv, vp, cl, ia, nin, ab, dem, &rsq, ni);
                if (dlx < thr) break;
                if (nlp > maxit) { failed = 1; break; }
            }
        }
        while (!failed) {
            int done = 0;
            for (;;) {
                if (nlp > maxit) { failed = 1; break; }
                nlp++;
                double dlx = naive_pass(G, g, a, xv, vp, cl, strong, ia, &nin, active, ab, dem, &rsq, ni);
                if (dlx < thr) {
                    int updated = 0;
                    for (long j = 0; j < ni; j++) {
                        if (strong[j] || !ju[j]) continue;
                        gabs[j] = fabs(g[j]);
                        if (gabs[j] > ab * vp[j]) { strong[j] = 1; updated = 1; }
                    }
                    if (!updated) { done = 1; break; }
                    continue;
                }
                if (nlp > maxit) failed = 1;
                break;
            }
            if (failed || done) break;
            iz = 1;
            for (;;) {
                nlp++;
                double dlx = naive_active_pass(G, g, a, xv, vp, cl, ia, nin, ab, dem, &rsq, ni);
                if (dlx < thr) break;
                if (nlp > maxit) { failed = 1; break; }
            }
        }
        if (failed) { jerr = -(m + 1); break; }
        lmu = m + 1;
        if (record_lambda(m, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml, rsqmax, ni)) break;
    }
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(g); free(gabs); free(a); free(ia); free(active); free(strong);
    return 0;
}
