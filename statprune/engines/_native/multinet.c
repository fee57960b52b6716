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

#include "glmnet_path.h"

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
                double b1 = dmin(am, ad), b2 = dmax(am, ad);
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
    for (int k = 0; k < n; k++) { hi = dmax(hi, a[k] - cl1); lo = dmin(lo, a[k] - cl0); }
    return dmax(hi, dmin(lo, out));
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
        double bn = soft(dot(r, xk, n), bk, xv[k], vp[k], ab, dem, cl[k], cl[p + k]);
        b[k + 1] = bn;
        if (bn == bk) continue;
        double d = bn - bk;
        dlx = dmax(dlx, xv[k] * d * d);
        for (long i = 0; i < n; i++) r[i] -= d * v[i] * xk[i];
        if (full && !active[k]) { active[k] = 1; ia[(*nin)++] = k; }
    }
    if (intr) {
        double rs = 0.0;
        for (long i = 0; i < n; i++) rs += r[i];
        double d = rs / xmz;
        if (d != 0.0) {
            b[0] += d;
            dlx = dmax(dlx, xmz * d * d);
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
            dm = dmax(dm, fabs(d));
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

/* the null model (ElnetPointInternalBinomialMultiBase::construct): intercepts b0[ic * stride],
 * probabilities q (nc rows of n, unnormalized) and their row sums sxp, the offset's rows centred,
 * the null log-likelihood part dev1 and the null deviance dev0; returns jerr (0 when fine).
 * buf: n doubles of work space, az: nc doubles. */
static long mn_null(long n, int nc, const double *y, const double *w, double *g, int has_offset, int intr,
                    double pmin, double *b, long stride, double *q, double *sxp, double *buf, double *az,
                    double *dev1_out, double *dev0_out) {
    double dev1 = 0.0, dev0 = 0.0;
    for (int ic = 0; ic < nc; ic++) {
        double q0 = dot(w, y + ic * n, n);
        if (q0 <= pmin) return 8000 + ic + 1;
        if (q0 >= 1.0 - pmin) return 9000 + ic + 1;
        if (!intr) { b[ic * stride] = 0.0; }
        else { b[ic * stride] = log(q0); dev1 -= q0 * b[ic * stride]; }
    }
    if (!intr) dev1 = log((double)nc);
    int gzero = 1;
    if (has_offset) for (long t = 0; t < (long)nc * n; t++) if (g[t] != 0.0) { gzero = 0; break; }
    if (gzero) {
        double sb = 0.0;
        for (int ic = 0; ic < nc; ic++) sb += b[ic * stride];
        sb /= nc;
        for (int ic = 0; ic < nc; ic++) b[ic * stride] -= sb;
        for (int ic = 0; ic < nc; ic++) {
            double e = exp(b[ic * stride]);
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
            if (mn_kazero(n, nc, y, g, w, az)) return 10000;
            for (int ic = 0; ic < nc; ic++) b[ic * stride] = az[ic];
        }
        dev1 = 0.0;
        for (int ic = 0; ic < nc; ic++) {
            double *qc = q + ic * n;
            const double *yc = y + ic * n;
            for (long i = 0; i < n; i++) qc[i] = b[ic * stride] + g[ic * n + i];
            double t = 0.0;
            for (long i = 0; i < n; i++) t += w[i] * (yc[i] * qc[i]);
            dev1 -= t;
            for (long i = 0; i < n; i++) { qc[i] = exp(qc[i]); sxp[i] += qc[i]; }
        }
        for (long i = 0; i < n; i++) buf[i] = w[i] * log(sxp[i]);
        for (int ic = 0; ic < nc; ic++) dev1 += dot(y + ic * n, buf, n);
    }
    for (int ic = 0; ic < nc; ic++)
        for (long i = 0; i < n; i++) {
            double yi = y[ic * n + i];
            if (yi > 0) dev0 += w[i] * yi * log(yi);
        }
    dev0 += dev1;
    *dev1_out = dev1;
    *dev0_out = dev0;
    return 0;
}

/* the gradient norms ga of the variables in ju (outside the strong set when strong is given): over
 * the classes, the largest |x_j' r_c| (ungrouped) or the 2-norm of the x_j' r_c (grouped), with
 * r_c = w (y_c - q_c / sxp) computed class by class in r (n doubles) */
static void mn_abs_grad(long n, long p, int nc, const double *X, const double *y, const double *w, const double *q,
                        const double *sxp, const unsigned char *ju, const unsigned char *strong, int grouped,
                        double *r, double *ga) {
    for (long j = 0; j < p; j++) if (ju[j] && !(strong && strong[j])) ga[j] = 0.0;
    for (int ic = 0; ic < nc; ic++) {
        for (long i = 0; i < n; i++) r[i] = w[i] * (y[ic * n + i] - q[ic * n + i] / sxp[i]);
        for (long j = 0; j < p; j++) {
            if (!ju[j] || (strong && strong[j])) continue;
            double t = dot(r, X + j * n, n);
            ga[j] = grouped ? ga[j] + t * t : dmax(ga[j], fabs(t));
        }
    }
    if (grouped) for (long j = 0; j < p; j++) if (ju[j] && !(strong && strong[j])) ga[j] = sqrt(ga[j]);
}

/* the KKT check: the variables outside the strong set whose gradient norm exceeds ab * vp join it;
 * returns 1 when one did */
static int mn_kkt(long p, const unsigned char *ju, const double *ga, const double *vp, double ab,
                  unsigned char *strong) {
    int added = 0;
    for (long k = 0; k < p; k++)
        if (!strong[k] && ju[k] && ga[k] > ab * vp[k]) { strong[k] = 1; added = 1; }
    return added;
}

/* process_point_fit: point m's coefficients (class ic, variable k at cb[ic * cs + k * ks], the
 * intercepts at ib[ic * is]) stored in a0o / ao, its deviance ratio in devo, and the path's stop
 * rules (after mnlam points; never with user lambdas): returns 1 when the path stops here, 0 when
 * it goes on, -1 when the rules were not checked.  me: the number of non-zero variables. */
static int mn_point_done(int m, long n, long p, int nc, const long *ia, long nin, const double *cb, long cs, long ks,
                         const double *ib, long is, const double *y, const double *w, const double *q,
                         const double *sxp, double dev1, double dev0, double alm, long me, long ne, int mnlam,
                         int nlam, double flmin, double sml, double devmax, double *a0o, double *ao, double *almo,
                         double *devo) {
    double devi = 0.0;
    for (int ic = 0; ic < nc; ic++) {
        double *dst = ao + ((long)m * nc + ic) * p;
        for (long l = 0; l < nin; l++) dst[ia[l]] = cb[ic * cs + ia[l] * ks];
        a0o[(long)m * nc + ic] = ib[ic * is];
        for (long i = 0; i < n; i++) {
            double yi = y[ic * n + i];
            if (yi <= 0) continue;
            devi -= w[i] * yi * log(q[ic * n + i] / sxp[i]);
        }
    }
    devo[m] = (dev1 - devi) / dev0;
    almo[m] = alm;
    if (m + 1 < (mnlam < nlam ? mnlam : nlam) || flmin >= 1.0) return -1;
    double prev_dev = m == 0 ? 0.0 : devo[m - 1];
    return me > ne || devo[m] - prev_dev < sml || devo[m] > devmax;
}

/* the point's class probabilities after a class's coefficients changed (update_irls_class) */
static void mn_update_q(long n, const double *X, const long *ia, long nin, const double *bk_of, long bstride,
                        double b0, const double *gc, double exmx, double emin, double emax, double *qc, double *sxp,
                        double *di) {
    for (long i = 0; i < n; i++) di[i] = b0 + gc[i];
    for (long l = 0; l < nin; l++) {
        long k = ia[l];
        double bk = bk_of[k * bstride];
        const double *xk = X + k * n;
        for (long i = 0; i < n; i++) di[i] += bk * xk[i];
    }
    for (long i = 0; i < n; i++) {
        double f = dmin(dmax(di[i], -exmx), exmx);
        sxp[i] -= qc[i];
        qc[i] = dmin(dmax(emin * sxp[i], exp(f)), emax * sxp[i]);
        sxp[i] += qc[i];
    }
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

    /* ---- null model */
    double dev1 = 0.0, dev0 = 0.0;
    jerr = mn_null(n, nc, y, w, g, has_offset, intr, pmin, b, P1, q, sxp, di, row, &dev1, &dev0);
    if (jerr) goto done;
    *dev0_out = dev0;
    thr *= dev0;
    mn_abs_grad(n, p, nc, X, y, w, q, sxp, ju, NULL, 0, r, ga);

    /* ---- path */
    double alf = lambda_ratio(flmin, eps, nlam), alm = 0.0;
    for (int m = 0; m < nlam; m++) {
        alm = lambda_strong(m, alm, flmin, ulam, alf, big, p, ju, vp, ga, alpha, strong);
        double dem = alm * (1.0 - alpha), ab = alm * alpha;
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
                mn_update_q(n, X, ia, nin, bc + 1, 1, bc[0], gc, exmx, emin, emax, qc, sxp, di);
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
                mn_abs_grad(n, p, nc, X, y, w, q, sxp, ju, strong, 0, r, ga);
                ix = mn_kkt(p, ju, ga, vp, ab, strong);
                if (!ix) break;
            }
        }
        long me = 0;
        for (long l = 0; l < nin; l++) {
            long k = ia[l];
            for (int ic = 0; ic < nc; ic++) if (b[ic * P1 + k + 1] != 0.0) { me++; break; }
        }
        lmu = m + 1;
        int stop = mn_point_done(m, n, p, nc, ia, nin, b + 1, P1, 1, b, P1, y, w, q, sxp, dev1, dev0, alm, me, ne,
                                 mnlam, nlam, flmin, sml, devmax, a0o, ao, almo, devo);
        if (stop > 0 || (stop == 0 && !ig)) break;  /* !ig: every class's weights vanished */
    }
done:
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(b); free(bs); free(q); free(sxp); free(xv); free(ga); free(r); free(v); free(di); free(row);
    free(ia); free(sidx); free(is); free(active); free(strong);
    return 0;
}

/* gaussian_base.hpp bnorm: the norm b of the free part of a group whose bounded part has squared norm
 * usq (Newton on b (al1p + al2p / sqrt(b^2 + usq)) = g); returns 1 when mxit is reached */
static int mn_bnorm(double b0, double al1p, double al2p, double g, double usq, double thr, long mxit, double *out) {
    double b = b0, zsq = b * b + usq;
    *out = 0.0;
    if (zsq <= 0.0) return 0;
    double z = sqrt(zsq), f = b * (al1p + al2p / z) - g;
    long it = 0;
    for (; it < mxit; it++) {
        b -= f / (al1p + al2p * usq / (z * zsq));
        zsq = b * b + usq;
        if (zsq <= 0.0) return 0;
        z = sqrt(zsq);
        f = b * (al1p + al2p / z) - g;
        if (fabs(f) <= thr) break;
        if (b <= 0.0) { b = 0.0; break; }
    }
    if (it >= mxit) return 1;
    *out = b;
    return 0;
}

/* gaussian_base.hpp chkbnds: the group update a (nc values, gradient gk of norm gkn) with the
 * coefficients outside [lo, hi] moved to the bound one at a time (al1 = l2 penalty, al2 = l1
 * penalty, as glmnet names them); isc: nc ints of work space; returns 1 when bnorm fails */
static int mn_chkbnds(int nc, const double *gk, double gkn, double xv, double lo, double hi, double al1,
                      double al2, double *a, int *isc, double thr, long mxit) {
    double al1p = 1.0 + al1 / xv, al2p = al2 / xv;
    double gsq = gkn * gkn, asq = 0.0, usq = 0.0, u = 0.0;
    for (int k = 0; k < nc; k++) { isc[k] = 0; asq += a[k] * a[k]; }
    int kn = -1;
    for (;;) {
        double vmx = 0.0;
        for (int k = 0; k < nc; k++) {
            double v = dmax(a[k] - hi, lo - a[k]);
            if (v > vmx) { vmx = v; kn = k; }
        }
        if (vmx <= 0.0 || isc[kn]) break;
        gsq -= gk[kn] * gk[kn];
        double gg = sqrt(fabs(gsq)) / xv, b = 0.0;
        if (a[kn] < lo) u = lo;
        if (a[kn] > hi) u = hi;
        usq += u * u;
        if (usq == 0.0) b = dmax(0.0, (gg - al2p) / al1p);
        else if (mn_bnorm(sqrt(fabs(asq - a[kn] * a[kn])), al1p, al2p, gg, usq, thr, mxit, &b)) return 1;
        asq = usq + b * b;
        if (asq <= 0.0) { for (int k = 0; k < nc; k++) a[k] = 0.0; break; }
        a[kn] = u;
        isc[kn] = 1;
        double f = 1.0 / (xv * (al1p + al2p / sqrt(asq)));
        for (int j = 0; j < nc; j++) if (!isc[j]) a[j] = f * gk[j];
    }
    return 0;
}

/* type.multinomial = "grouped" (kopt = 2): the group lasso over the classes, each variable's K
 * coefficients updated together (ElnetPointInternalBinomialMultiClassGroupBase, binomial_multi_class_group.hpp,
 * gaussian_base.hpp update_beta; ElnetPathBinomialMultiClassGroupBase).  The quadratic approximation uses
 * one bound t = 2 max q (1 - p) / sxp for every class; xv is MultLStandardize1's weighted mean square of
 * each column; cl (2 rows of p) the limits of every class's coefficient of a variable (gaussian_base.hpp
 * chkbnds / bnorm, with glmnet.control's prec and mxit).  Same layouts and outputs as multnet_path;
 * jerr 20000 + m: the variance bound fell below eps at lambda m (glmnet's below_min_variance); 90000:
 * bnorm reached mxit. */
int multnet_group_path(long n, long p, int nc, const double *X, const double *y, const double *w, double *g,
                       int has_offset, const unsigned char *ju, const double *vp, const double *cl,
                       const double *xv, double prec, long mxit, double alpha,
                       double flmin, const double *ulam, int nlam, double thr, long maxit, int intr, double pmin,
                       double exmx, double sml, double devmax, int mnlam, double eps, double big, long ne,
                       double *a0o, double *ao, double *almo, double *devo, double *dev0_out, long *res) {
    /* B[k * nc + ic]: variable k's coefficient of class ic; b0[ic] the intercepts */
    double *B = calloc((size_t)nc * p, sizeof(double)), *Bs = calloc((size_t)nc * p, sizeof(double));
    double *b0 = calloc(nc, sizeof(double)), *b0s = calloc(nc, sizeof(double));
    double *q = malloc((size_t)nc * n * sizeof(double)), *sxp = calloc(n, sizeof(double));
    double *R = malloc((size_t)nc * n * sizeof(double)), *ga = calloc(p, sizeof(double));
    double *xw = malloc(n * sizeof(double)), *di = malloc(n * sizeof(double));
    double *gk = malloc(nc * sizeof(double)), *az = malloc(nc * sizeof(double)), *del = malloc(nc * sizeof(double));
    double *an = malloc(nc * sizeof(double));
    int *isc = malloc(nc * sizeof(int));
    long *ia = calloc(p, sizeof(long)), *sidx = calloc(p, sizeof(long));
    unsigned char *active = calloc(p, 1), *strong = calloc(p, 1);
    long lmu = 0, nlp = 0, jerr = 0, nin = 0;
    if (!B || !Bs || !b0 || !b0s || !q || !sxp || !R || !ga || !xw || !di || !gk || !az || !del || !an || !isc ||
        !ia || !sidx || !active || !strong) {
        jerr = 10000;
        goto done;
    }
    const double pmax = 1.0 - pmin, emin = pmin / pmax, emax = 1.0 / emin;
    double dev1 = 0.0, dev0 = 0.0;
    jerr = mn_null(n, nc, y, w, g, has_offset, intr, pmin, b0, 1, q, sxp, di, az, &dev1, &dev0);
    if (jerr) goto done;
    *dev0_out = dev0;
    thr *= dev0;
    mn_abs_grad(n, p, nc, X, y, w, q, sxp, ju, NULL, 1, R, ga);  /* construct: ga = || r^T x_j || */

    double alf = lambda_ratio(flmin, eps, nlam), alm = 0.0;
    for (int m = 0; m < nlam; m++) {
        alm = lambda_strong(m, alm, flmin, ulam, alf, big, p, ju, vp, ga, alpha, strong);
        double dem = alm * (1.0 - alpha), ab = alm * alpha;
        int below = 0;
        for (;;) {  /* IRLS */
            if (nlp > maxit) { jerr = -(m + 1); goto done; }
            /* setup_wls */
            double t = 0.0;
            for (int ic = 0; ic < nc; ic++)
                for (long i = 0; i < n; i++) {
                    double qi = q[ic * n + i];
                    t = dmax(t, qi * (1.0 - qi / sxp[i]) / sxp[i]);
                }
            if (t < eps) { below = 1; break; }
            t *= 2.0;
            double l1s = ab / t, l2s = dem / t;
            for (int ic = 0; ic < nc; ic++) b0s[ic] = b0[ic];
            for (long l = 0; l < nin; l++)
                for (int ic = 0; ic < nc; ic++) Bs[ia[l] * nc + ic] = B[ia[l] * nc + ic];
            for (int ic = 0; ic < nc; ic++)
                for (long i = 0; i < n; i++) R[ic * n + i] = w[i] * (y[ic * n + i] - q[ic * n + i] / sxp[i]) / t;
            for (int ic = 0; ic < nc; ic++) {
                if (!intr) continue;
                double d = 0.0;
                for (long i = 0; i < n; i++) d += R[ic * n + i];
                if (d != 0.0) {
                    b0[ic] += d;
                    for (long i = 0; i < n; i++) R[ic * n + i] -= d * w[i];
                }
            }
            long ns = 0;
            for (long j = 0; j < p; j++) if (strong[j]) sidx[ns++] = j;
            /* wls: full passes over the strong set, active-set passes until converged */
            int full = 1;
            for (;;) {
                nlp += nc;
                double dlx = 0.0;
                const long *idx = full ? sidx : ia;
                long mm = full ? ns : nin;
                for (long tt = 0; tt < mm; tt++) {
                    long k = idx[tt];
                    const double *xk = X + k * n;
                    double *bk = B + k * nc;
                    double gkn2 = 0.0;
                    for (int ic = 0; ic < nc; ic++) {
                        gk[ic] = dot(R + ic * n, xk, n) + xv[k] * bk[ic];
                        gkn2 += gk[ic] * gk[ic];
                    }
                    double gkn = sqrt(gkn2);
                    double u = 1.0 - l1s * vp[k] / gkn;
                    for (int ic = 0; ic < nc; ic++) an[ic] = u <= 0.0 ? 0.0 : (u / (xv[k] + l2s * vp[k])) * gk[ic];
                    if (u > 0.0 && mn_chkbnds(nc, gk, gkn, xv[k], cl[k], cl[p + k], l2s * vp[k], l1s * vp[k], an,
                                              isc, prec, mxit)) {
                        jerr = 90000;
                        goto done;
                    }
                    int same = 1;
                    for (int ic = 0; ic < nc; ic++) {
                        del[ic] = an[ic] - bk[ic];
                        if (an[ic] != bk[ic]) same = 0;
                        bk[ic] = an[ic];
                    }
                    if (same) continue;
                    if (full && !active[k]) { active[k] = 1; ia[nin++] = k; }
                    double dm = 0.0;
                    for (int ic = 0; ic < nc; ic++) dm = dmax(dm, fabs(del[ic]));
                    dlx = dmax(dlx, xv[k] * dm * dm);
                    for (long i = 0; i < n; i++) xw[i] = xk[i] * w[i];
                    for (int ic = 0; ic < nc; ic++) {
                        double d = del[ic];
                        double *rc = R + ic * n;
                        for (long i = 0; i < n; i++) rc[i] -= d * xw[i];
                    }
                }
                if (dlx < thr) {
                    if (full) break;
                    full = 1;  /* the active set converged: back to a full pass */
                    continue;
                }
                if (nlp > maxit) { jerr = -(m + 1); goto done; }
                full = 0;
            }
            /* update_irls */
            double idm = 0.0;
            for (int ic = 0; ic < nc; ic++) idm = dmax(idm, fabs(b0[ic] - b0s[ic]));
            int conv = !(idm * idm > thr);
            for (long l = 0; conv && l < nin; l++) {
                long k = ia[l];
                double dm = 0.0;
                for (int ic = 0; ic < nc; ic++) dm = dmax(dm, fabs(B[k * nc + ic] - Bs[k * nc + ic]));
                if (dm * dm * xv[k] > thr) conv = 0;
            }
            for (int ic = 0; ic < nc; ic++)
                mn_update_q(n, X, ia, nin, B + ic, nc, b0[ic], g + ic * n, exmx, emin, emax, q + ic * n, sxp, di);
            double sb = 0.0;
            for (int ic = 0; ic < nc; ic++) sb += b0[ic];
            sb /= nc;
            for (int ic = 0; ic < nc; ic++) b0[ic] -= sb;
            if (conv) {  /* KKT check of the variables outside the strong set */
                mn_abs_grad(n, p, nc, X, y, w, q, sxp, ju, strong, 1, R, ga);
                if (!mn_kkt(p, ju, ga, vp, ab, strong)) break;
            }
        }
        if (below) { jerr = 20000 + m + 1; break; }
        long me = 0;
        for (long l = 0; l < nin; l++) if (B[ia[l] * nc] != 0.0) me++;
        lmu = m + 1;
        if (mn_point_done(m, n, p, nc, ia, nin, B, 1, nc, b0, 1, y, w, q, sxp, dev1, dev0, alm, me, ne, mnlam, nlam,
                          flmin, sml, devmax, a0o, ao, almo, devo) > 0)
            break;
    }
done:
    res[0] = lmu; res[1] = nlp; res[2] = jerr;
    free(B); free(Bs); free(b0); free(b0s); free(q); free(sxp); free(R); free(ga); free(xw); free(di); free(gk);
    free(az); free(del); free(an); free(isc); free(ia); free(sidx); free(active); free(strong);
    return 0;
}
