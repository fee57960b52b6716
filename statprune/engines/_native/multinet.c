/* glmnet's dense multinomial elastic-net path, type.multinomial = "ungrouped" (kopt = 0, Newton):
 * for each class in turn a quadratic approximation of the multinomial log-likelihood around
 * the current probabilities, solved by naive coordinate descent on the working residual
 * (intercept included), the class's linear predictor and probabilities updated, then the
 * coefficients of every variable centred across classes (glmnet's `elc`: the median for the
 * lasso, the elastic-net minimizer otherwise, the mean for unpenalized variables) and the
 * probabilities rescaled; strong-rule sets with KKT checks, warm starts along lambda,
 * convergence threshold thresh * null deviance.  The iterations and rules of glmnetpp 4.1
 * (elnet_point/internal/binomial_base.hpp: ElnetPointInternalBinomialMultiBase /
 * MultiClassBase, elnet_point/internal/binomial_multi_class.hpp, elnet_point/binomial_multi_class.hpp;
 * elnet_path/binomial_base.hpp: ElnetPathBinomialMultiClassBase, elnet_path/base.hpp).
 *
 * Layouts: X (p rows of n standardized values), y and g (nc rows of n: class indicators, with
 * rows summing to 1, and the offset; g is modified: its rows are centred as glmnet centres them),
 * w observation weights summing to 1, cl (2 rows of p).  Outputs on the standardized scale:
 * a0o (nlam x nc), ao (nlam x nc x p), almo, devo (nlam), dev0_out; res = {lmu, nlp, jerr}
 * (jerr: negative = maxit reached at lambda -jerr; 8000 + k / 9000 + k = the null probability
 * of class k too small / large; 10000 = out of memory).
 * Build: cc -O3 -fPIC -shared (no fast-math).  Loaded by statprune/engines/_native/__init__.py.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double mn_max(double a, double b) { return a > b ? a : b; }
static double mn_min(double a, double b) { return a < b ? a : b; }

/* dot product with four partial sums (a fixed order; glmnet's Eigen order differs at rounding level) */
static double mn_dot(const double *a, const double *b, long n) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/* sum of w * x^2 */
static double mn_wsq(const double *w, const double *x, long n) {
    double s0 = 0.0, s1 = 0.0;
    long i = 0;
    for (; i + 2 <= n; i += 2) {
        s0 += w[i] * x[i] * x[i];
        s1 += w[i + 1] * x[i + 1] * x[i + 1];
    }
    for (; i < n; i++) s0 += w[i] * x[i] * x[i];
    return s0 + s1;
}

/* glmnet's elc: the shift s minimizing the elastic-net penalty of a - s (a: one variable's
 * coefficients over the n classes), clipped so that a - s stays within the limits */
static double mn_elc(double parm, double cl0, double cl1, const double *a, int n, int *is) {
    double am = 0.0;
    for (int k = 0; k < n; k++) am += a[k];
    am /= n;
    double out = am;
    if (parm != 0.0 && n != 2) {
        for (int k = 0; k < n; k++) is[k] = k;
        for (int k = 1; k < n; k++) {  /* insertion sort of the indices by value */
            int t = is[k], j = k - 1;
            while (j >= 0 && a[is[j]] > a[t]) { is[j + 1] = is[j]; j--; }
            is[j + 1] = t;
        }
        if (a[is[0]] == a[is[n - 1]]) {
            out = a[0];
        } else {
            double ad = (n % 2 == 1) ? a[is[n / 2]] : 0.5 * (a[is[n / 2]] + a[is[n / 2 - 1]]);
            if (parm == 1.0) {
                out = ad;
            } else {
                double b1 = mn_min(am, ad), b2 = mn_max(am, ad);
                int k2 = 1;
                while (a[is[k2 - 1]] <= b1) k2++;
                int k1 = k2 - 1;
                while (a[is[k2 - 1]] < b2) k2++;
                double r = parm / ((1.0 - parm) * n);
                int found = 0;
                int sm = n - 2 * (k1 - 1);
                double s = 0.0;
                for (int k = k1; k < k2; k++) {
                    sm -= 2;
                    s = r * sm + am;
                    if (s > a[is[k - 1]] && s <= a[is[k]]) { found = k; break; }
                }
                if (found) {
                    out = s;
                } else {
                    double r2 = 2.0 * r, s1 = a[is[k1 - 1]], am2 = 2.0 * am;
                    double cri = 0.0;
                    for (int j = 0; j < n; j++) cri += fabs(a[j] - s1);
                    cri = r2 * cri + s1 * (s1 - am2);
                    out = s1;
                    for (int k = k1 + 1; k < k2 + 1; k++) {
                        s = a[is[k - 1]];
                        if (s == s1) continue;
                        double c = 0.0;
                        for (int j = 0; j < n; j++) c += fabs(a[j] - s);
                        c = r2 * c + s * (s - am2);
                        if (c < cri) { cri = c; out = s; }
                        s1 = s;
                    }
                }
            }
        }
    }
    double hi = -INFINITY, lo = INFINITY;
    for (int k = 0; k < n; k++) { hi = mn_max(hi, a[k] - cl1); lo = mn_min(lo, a[k] - cl0); }
    return mn_max(hi, mn_min(lo, out));
}

/* one coordinate-descent pass of class ic over idx[0..m) then its intercept; returns dlx */
static double mn_pass(const long *idx, long m, int full, const double *X, long n, long p, double *r, const double *v,
                      double *b, const double *xv, const double *vp, const double *cl, double ab, double dem,
                      unsigned char *active, long *ia, long *nin, int intr, double xmz) {
    double dlx = 0.0;
    for (long t = 0; t < m; t++) {
        long k = idx[t];
        const double *xk = X + k * n;
        double bk = b[k + 1];
        double u = mn_dot(r, xk, n) + xv[k] * bk;
        double au = fabs(u) - vp[k] * ab;
        double bn = 0.0;
        if (au > 0.0) bn = mn_max(cl[k], mn_min(cl[p + k], copysign(au, u) / (xv[k] + vp[k] * dem)));
        b[k + 1] = bn;
        if (bn == bk) continue;
        double d = bn - bk;
        dlx = mn_max(dlx, xv[k] * d * d);
        for (long i = 0; i < n; i++) r[i] -= d * v[i] * xk[i];
        if (full && !active[k]) { active[k] = 1; ia[(*nin)++] = k; }
    }
    if (intr) {
        double rs = 0.0;
        for (long i = 0; i < n; i++) rs += r[i];
        double d = rs / xmz;
        if (d != 0.0) {
            b[0] += d;
            dlx = mn_max(dlx, xmz * d * d);
            for (long i = 0; i < n; i++) r[i] -= d * v[i];
        }
    }
    return dlx;
}

/* glmnet's kazero: the intercepts of the null model with an offset (Newton by class) */
static int mn_kazero(long n, int nc, const double *y, const double *g, const double *w, double *az) {
    double *e = malloc((size_t)n * nc * sizeof(double)), *s = calloc(n, sizeof(double));
    if (!e || !s) { free(e); free(s); return 1; }
    for (int k = 0; k < nc; k++) az[k] = 0.0;
    for (int k = 0; k < nc; k++)
        for (long i = 0; i < n; i++) { e[k * n + i] = exp(g[k * n + i]); }
    for (long i = 0; i < n; i++) for (int k = 0; k < nc; k++) s[i] += e[k * n + i];
    double dm;
    do {
        dm = 0.0;
        for (int k = 0; k < nc; k++) {
            double t = 0.0, u = 0.0;
            for (long i = 0; i < n; i++) {
                double pik = e[k * n + i] / s[i];
                t += w[i] * (y[k * n + i] - pik);
                u += w[i] * pik * (1.0 - pik);
            }
            double d = t / u;
            az[k] += d;
            double ed = exp(d);
            dm = mn_max(dm, fabs(d));
            for (long i = 0; i < n; i++) {
                double z = e[k * n + i];
                e[k * n + i] = z * ed;
                s[i] += -z + e[k * n + i];
            }
        }
    } while (dm >= 1e-7);
    double sa = 0.0;
    for (int k = 0; k < nc; k++) sa += az[k];
    for (int k = 0; k < nc; k++) az[k] -= sa / nc;
    free(e); free(s);
    return 0;
}

int multnet_path(long n, long p, int nc, const double *X, const double *y, const double *w, double *g,
                 int has_offset, const unsigned char *ju, const double *vp, const double *cl, double alpha,
                 double flmin, const double *ulam, int nlam, double thr, long maxit, int intr, double pmin,
                 double exmx, double sml, double devmax, int mnlam, double eps, double big, long ne,
                 double *a0o, double *ao, double *almo, double *devo, double *dev0_out, long *res) {
    long P1 = p + 1;
    double *b = calloc((size_t)nc * P1, sizeof(double)), *bs = calloc((size_t)nc * P1, sizeof(double));
    double *q = malloc((size_t)nc * n * sizeof(double)), *sxp = calloc(n, sizeof(double));
    double *xv = calloc((size_t)nc * p, sizeof(double)), *ga = calloc(p, sizeof(double));
    double *r = malloc(n * sizeof(double)), *v = malloc(n * sizeof(double)), *di = malloc(n * sizeof(double));
    double *row = malloc(nc * sizeof(double));
    long *ia = calloc(p, sizeof(long)), *sidx = calloc(p, sizeof(long));
    int *is = malloc(nc * sizeof(int));
    unsigned char *active = calloc(p, 1), *strong = calloc(p, 1);
    long lmu = 0, nlp = 0, jerr = 0, nin = 0;
    if (!b || !bs || !q || !sxp || !xv || !ga || !r || !v || !di || !row || !ia || !sidx || !is || !active || !strong) {
        jerr = 10000;
        goto done;
    }
    const double pmax = 1.0 - pmin, emin = pmin / pmax, emax = 1.0 / emin;
    const double pfm = (1.0 + pmin) * pmin, pfx = (1.0 - pmin) * pmax, vmin = pfm * pmax;

    /* ---- null model (ElnetPointInternalBinomialMultiBase::construct) */
    double dev1 = 0.0, dev0 = 0.0;
    for (int ic = 0; ic < nc; ic++) {
        double q0 = mn_dot(w, y + ic * n, n);
        if (q0 <= pmin) { jerr = 8000 + ic + 1; goto done; }
        if (q0 >= 1.0 - pmin) { jerr = 9000 + ic + 1; goto done; }
        if (!intr) { b[ic * P1] = 0.0; }
        else { b[ic * P1] = log(q0); dev1 -= q0 * b[ic * P1]; }
    }
    if (!intr) dev1 = log((double)nc);
    int gzero = 1;
    if (has_offset) for (long t = 0; t < (long)nc * n; t++) if (g[t] != 0.0) { gzero = 0; break; }
    if (gzero) {
        double sb = 0.0;
        for (int ic = 0; ic < nc; ic++) sb += b[ic * P1];
        sb /= nc;
        for (int ic = 0; ic < nc; ic++) b[ic * P1] -= sb;
        for (int ic = 0; ic < nc; ic++) {
            double e = exp(b[ic * P1]);
            for (long i = 0; i < n; i++) { q[ic * n + i] = e; sxp[i] += e; }
        }
    } else {
        for (long i = 0; i < n; i++) {
            double sg = 0.0;
            for (int ic = 0; ic < nc; ic++) sg += g[ic * n + i];
            sg /= nc;
            for (int ic = 0; ic < nc; ic++) g[ic * n + i] -= sg;
        }
        if (intr) {
            if (mn_kazero(n, nc, y, g, w, row)) { jerr = 10000; goto done; }
            for (int ic = 0; ic < nc; ic++) b[ic * P1] = row[ic];
        }
        dev1 = 0.0;
        for (int ic = 0; ic < nc; ic++) {
            double *qc = q + ic * n;
            const double *yc = y + ic * n;
            for (long i = 0; i < n; i++) qc[i] = b[ic * P1] + g[ic * n + i];
            double t = 0.0;
            for (long i = 0; i < n; i++) t += w[i] * (yc[i] * qc[i]);
            dev1 -= t;
            for (long i = 0; i < n; i++) { qc[i] = exp(qc[i]); sxp[i] += qc[i]; }
        }
        for (long i = 0; i < n; i++) di[i] = w[i] * log(sxp[i]);
        for (int ic = 0; ic < nc; ic++) dev1 += mn_dot(y + ic * n, di, n);
    }
    for (int ic = 0; ic < nc; ic++)
        for (long i = 0; i < n; i++) {
            double yi = y[ic * n + i];
            if (yi > 0) dev0 += w[i] * yi * log(yi);
        }
    dev0 += dev1;
    *dev0_out = dev0;
    thr *= dev0;
    for (int ic = 0; ic < nc; ic++) {
        for (long i = 0; i < n; i++) r[i] = w[i] * (y[ic * n + i] - q[ic * n + i] / sxp[i]);
        for (long j = 0; j < p; j++) if (ju[j]) ga[j] = mn_max(ga[j], fabs(mn_dot(r, X + j * n, n)));
    }

    /* ---- path */
    double omb = 1.0 - alpha, alf = 1.0;
    if (flmin < 1.0) alf = pow(mn_max(eps, flmin), 1.0 / (nlam - 1.0));
    int mnl = mnlam < nlam ? mnlam : nlam;
    double alm = 0.0;
    for (int m = 0; m < nlam; m++) {
        double prev = alm;
        if (flmin >= 1.0) alm = ulam[m];
        else if (m > 1) alm = alm * alf;
        else if (m == 0) alm = big;
        else {
            double alm0 = 0.0;
            for (long j = 0; j < p; j++) if (ju[j] && vp[j] > 0.0) alm0 = mn_max(alm0, ga[j] / vp[j]);
            alm0 = alm0 / mn_max(alpha, 1e-3);
            prev = alm0;
            alm = alm0 * alf;
        }
        double dem = alm * omb, ab = alm * alpha;
        double tlam = alpha * (2.0 * alm - prev);
        for (long j = 0; j < p; j++)
            if (ju[j] && !strong[j] && ga[j] > tlam * vp[j]) strong[j] = 1;
        int ig = 0;
        for (;;) {  /* IRLS */
            int ix = 0;
            if (nlp > maxit) { jerr = -(m + 1); goto done; }
            long ns = 0;
            for (long j = 0; j < p; j++) if (strong[j]) sidx[ns++] = j;
            for (int ic = 0; ic < nc; ic++) {
                double *bc = b + ic * P1, *bsc = bs + ic * P1, *qc = q + ic * n, *xvc = xv + ic * p;
                const double *yc = y + ic * n, *gc = g + ic * n;
                /* setup_wls */
                bsc[0] = bc[0];
                for (long l = 0; l < nin; l++) bsc[ia[l] + 1] = bc[ia[l] + 1];
                double xmz = 0.0;
                for (long i = 0; i < n; i++) {
                    double pic = qc[i] / sxp[i];
                    if (pic < pfm) { pic = 0.0; v[i] = 0.0; }
                    else if (pic > pfx) { pic = 1.0; v[i] = 0.0; }
                    else { v[i] = w[i] * pic * (1.0 - pic); xmz += v[i]; }
                    r[i] = w[i] * (yc[i] - pic);
                }
                if (xmz <= vmin) continue;
                ig = 1;
                for (long t = 0; t < ns; t++) xvc[sidx[t]] = mn_wsq(v, X + sidx[t] * n, n);
                /* wls: full passes over the strong set, active-set passes until converged */
                for (;;) {
                    nlp++;
                    double dlx = mn_pass(sidx, ns, 1, X, n, p, r, v, bc, xvc, vp, cl, ab, dem, active, ia, &nin,
                                         intr, xmz);
                    if (dlx < thr) break;
                    if (nlp > maxit) { jerr = -(m + 1); goto done; }
                    for (;;) {
                        nlp++;
                        dlx = mn_pass(ia, nin, 0, X, n, p, r, v, bc, xvc, vp, cl, ab, dem, active, ia, &nin, intr,
                                      xmz);
                        if (dlx < thr) break;
                        if (nlp > maxit) { jerr = -(m + 1); goto done; }
                    }
                }
                /* has_converged_irls_class: checked while every earlier class has converged */
                if (!ix) {
                    double d = bsc[0] - bc[0];
                    int conv = !(xmz * d * d > thr);
                    if (conv) {
                        for (long l = 0; l < nin; l++) {
                            long k = ia[l];
                            double dk = bc[k + 1] - bsc[k + 1];
                            if (xvc[k] * dk * dk > thr) { conv = 0; break; }
                        }
                    }
                    ix = !conv;
                }
                /* update_irls_class: the class's linear predictor and probability */
                for (long i = 0; i < n; i++) di[i] = bc[0] + gc[i];
                for (long l = 0; l < nin; l++) {
                    long k = ia[l];
                    double bk = bc[k + 1];
                    const double *xk = X + k * n;
                    for (long i = 0; i < n; i++) di[i] += bk * xk[i];
                }
                for (long i = 0; i < n; i++) {
                    double f = mn_min(mn_max(di[i], -exmx), exmx);
                    sxp[i] -= qc[i];
                    qc[i] = mn_min(mn_max(emin * sxp[i], exp(f)), emax * sxp[i]);
                    sxp[i] += qc[i];
                }
            }
            /* update_irls: centre intercepts and coefficients across classes, rescale */
            double s = 0.0;
            for (int ic = 0; ic < nc; ic++) s += b[ic * P1];
            s = -s / nc;
            for (int ic = 0; ic < nc; ic++) b[ic * P1] += s;
            for (long i = 0; i < n; i++) di[i] = s;
            for (long l = 0; l < nin; l++) {
                long k = ia[l];
                for (int ic = 0; ic < nc; ic++) row[ic] = b[ic * P1 + k + 1];
                if (vp[k] <= 0) {
                    double t = 0.0;
                    for (int ic = 0; ic < nc; ic++) t += row[ic];
                    s = t / nc;
                } else {
                    s = mn_elc(alpha, cl[k], cl[p + k], row, nc, is);
                }
                for (int ic = 0; ic < nc; ic++) b[ic * P1 + k + 1] -= s;
                const double *xk = X + k * n;
                for (long i = 0; i < n; i++) di[i] -= s * xk[i];
            }
            for (long i = 0; i < n; i++) di[i] = exp(di[i]);
            for (long i = 0; i < n; i++) sxp[i] *= di[i];
            for (int ic = 0; ic < nc; ic++)
                for (long i = 0; i < n; i++) q[ic * n + i] *= di[i];
            if (!ig) break;
            if (!ix) {
                /* KKT check of the variables outside the strong set */
                for (long k = 0; k < p; k++) if (!strong[k] && ju[k]) ga[k] = 0.0;
                for (int ic = 0; ic < nc; ic++) {
                    for (long i = 0; i < n; i++) r[i] = w[i] * (y[ic * n + i] - q[ic * n + i] / sxp[i]);
                    for (long k = 0; k < p; k++)
                        if (!strong[k] && ju[k]) ga[k] = mn_max(ga[k], fabs(mn_dot(r, X + k * n, n)));
                }
                for (long k = 0; k < p; k++)
                    if (!strong[k] && ju[k] && ga[k] > ab * vp[k]) { strong[k] = 1; ix = 1; }
                if (!ix) break;
            }
        }
        /* process_point_fit */
        double devi = 0.0;
        for (int ic = 0; ic < nc; ic++) {
            double *dst = ao + ((long)m * nc + ic) * p;
            for (long l = 0; l < nin; l++) dst[ia[l]] = b[ic * P1 + ia[l] + 1];
            a0o[(long)m * nc + ic] = b[ic * P1];
            for (long i = 0; i < n; i++) {
                double yi = y[ic * n + i];
                if (yi <= 0) continue;
                devi -= w[i] * yi * log(q[ic * n + i] / sxp[i]);
            }
        }
        long me = 0;
        for (long l = 0; l < nin; l++) {
            long k = ia[l];
            for (int ic = 0; ic < nc; ic++) if (b[ic * P1 + k + 1] != 0.0) { me++; break; }
        }
        devo[m] = (dev1 - devi) / dev0;
        almo[m] = alm;
        lmu = m + 1;
        if (lmu < mnl || flmin >= 1.0) continue;
        double prev_dev = m == 0 ? 0.0 : devo[m - 1];
        if (me > ne || devo[m] - prev_dev < sml || devo[m] > devmax) break;
        if (!ig) break;
    }
done:
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(b); free(bs); free(q); free(sxp); free(xv); free(ga); free(r); free(v); free(di); free(row);
    free(ia); free(sidx); free(is); free(active); free(strong);
    return 0;
}
