package io.onloop.domain.anomaly;

/**
 * KNN-CAD: conformalized k-nearest-neighbour anomaly detection over windows of recent values,
 * after E. Burnaev and V. Ishimtsev, "Conformalized density- and distance-based anomaly
 * detection in time-series data" (arXiv:1608.04585, 2016), the method NAB ships as its
 * {@code knncad} detector. Written from the paper's description; parameters are the paper's.
 * <ul>
 *   <li>Each point closes a window (embedding) of the last {@code dim} values.</li>
 *   <li>Non-conformity of a window: the sum of its squared Mahalanobis distances to its
 *       {@code k} nearest neighbours in a training set of {@code size} past windows, with the
 *       metric {@code (X^T X)^-1} of the training windows, re-estimated every {@code size / 2}
 *       points.</li>
 *   <li>Conformal score: the fraction of the {@code size} most recent calibration
 *       non-conformities below the new one (1 - its conformal p-value).</li>
 *   <li>Both sets slide: a window is calibration for {@code size} points and then moves to the
 *       training set for {@code size} more, so state is bounded by {@code 2 size + dim} values.</li>
 * </ul>
 * The first {@code size + dim - 1} points only learn (score 0). As in the paper's NAB entry, a
 * score of at least {@link #ALARM} is followed by a rest of {@code size / 5} points at 0, so one
 * incident raises one detection.
 * <p>
 * Cost: about {@code size * dim} multiply-adds per point, and {@code ~(2 + dim) size} doubles of
 * state per series (about 150 KB with the defaults).
 */
public final class KnnConformalDetector implements AnomalyDetector {

    /** The same parameters for every series. */
    public record Params(int dim, int k, int size) {
        /** dim 19 and k 27 are the paper's; 750 points is NAB's longest probationary period. */
        public static final Params DEFAULT = new Params(19, 27, 750);
    }

    private final int dim, k, size;
    // Values of the windows in training and calibration: a ring of 2 size + dim values.
    private final double[] values;
    /** The paper's alarm level; after an alarm the detector rests for size / 5 points. */
    static final double ALARM = 0.9965;
    private long n;
    private int rest;
    // Training windows, whitened with the current metric: ring of size windows.
    private final double[][] white;
    private int trainCount;
    private int trainHead;
    // Calibration non-conformities, a ring of size scores.
    private final double[] calib;
    private int calibCount;
    private int calibHead;
    // Cholesky factor (upper) of X^T X; null: the identity metric.
    private double[][] chol;
    private final double[] tmp, tmp2, best;

    public KnnConformalDetector() {
        this(Params.DEFAULT);
    }

    public KnnConformalDetector(Params p) {
        dim = p.dim();
        k = p.k();
        size = p.size();
        values = new double[2 * size + dim];
        white = new double[size][dim];
        calib = new double[size];
        tmp = new double[dim];
        tmp2 = new double[dim];
        best = new double[k + 1];
    }

    @Override
    public double score(long epochMillis, double value) {
        double result = conformity(value);
        if (rest > 0) {
            rest--;
            return 0.0;
        }
        if (result >= ALARM) {
            rest = size / 5;
        }
        return result;
    }

    /**
     * Learns from the value and returns its raw conformal score in [0, 1] (no alarm and rest
     * logic): about uniform while the series behaves as before, near 1 when the latest window
     * is unlike the recent past. 0 while learning. Package-private for tests.
     */
    double conformity(double value) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        values[(int) (n % values.length)] = value;
        n++;
        if (n < dim) {
            return 0.0;
        }
        // Window w (0-based) ends at point w + dim - 1; this one is w = n - dim.
        long w = n - dim;
        if (w < size) {
            addTraining(w);
            return 0.0;
        }
        if (w == size || (w - size) % (size / 2) == 0) {
            estimateMetric();
        }
        if (calibCount == 0) {
            // Bootstrap the calibration set with the training windows' own (leave-one-out) scores.
            for (int i = 0; i < trainCount; i++) {
                calib[i] = ncm(white[(trainHead + i) % size], true);
            }
            calibCount = trainCount;
            calibHead = 0;
        }
        window(w, tmp);
        whiten(tmp, tmp2);
        double a = ncm(tmp2, false);
        int below = 0;
        for (int i = 0; i < calibCount; i++) {
            if (calib[i] < a) {
                below++;
            }
        }
        double result = (double) below / calibCount;
        // Slide: the window that leaves calibration (ended size points ago) joins training.
        if (w >= 2L * size) {
            addTraining(w - size);
        }
        calib[calibHead] = a;
        calibHead = (calibHead + 1) % size;
        return result;
    }

    private void window(long w, double[] out) {
        for (int j = 0; j < dim; j++) {
            out[j] = values[(int) ((w + j) % values.length)];
        }
    }

    private void addTraining(long w) {
        window(w, tmp);
        int slot;
        if (trainCount < size) {
            slot = trainCount++;
        } else {
            slot = trainHead;
            trainHead = (trainHead + 1) % size;
        }
        whiten(tmp, white[slot]);
    }

    /** The training windows in order, oldest first, are windows (newest - trainCount + 1 ...). */
    private void estimateMetric() {
        double[][] g = new double[dim][dim];
        long newest = n - dim >= 2L * size ? n - dim - size - 1 : size - 1;
        long oldest = newest - trainCount + 1;
        for (long w = oldest; w <= newest; w++) {
            window(w, tmp);
            for (int i = 0; i < dim; i++) {
                for (int j = i; j < dim; j++) {
                    g[i][j] += tmp[i] * tmp[j];
                }
            }
        }
        // A ridge of a tiny fraction of the trace keeps flat or periodic series invertible.
        double trace = 0;
        for (int i = 0; i < dim; i++) {
            trace += g[i][i];
        }
        if (!(trace > 0) || !Double.isFinite(trace)) {
            return;
        }
        double ridge = 1e-9 * trace / dim;
        for (int i = 0; i < dim; i++) {
            g[i][i] += ridge;
        }
        double[][] r = cholesky(g);
        if (r == null) {
            return; // keep the previous metric, as the paper's implementation does
        }
        chol = r;
        for (long w = oldest; w <= newest; w++) {
            window(w, tmp);
            whiten(tmp, white[(int) ((trainHead + (w - oldest)) % size)]);
        }
    }

    /** Upper R with R^T R = g, or null when g is not positive definite. */
    private double[][] cholesky(double[][] g) {
        double[][] r = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double s = g[i][j];
                for (int m = 0; m < i; m++) {
                    s -= r[m][i] * r[m][j];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    r[i][i] = Math.sqrt(s);
                } else {
                    r[i][j] = s / r[i][i];
                }
            }
        }
        return r;
    }

    /** out = R^-T x, so that |out_a - out_b|^2 = (a - b)^T (X^T X)^-1 (a - b). */
    private void whiten(double[] x, double[] out) {
        if (chol == null) {
            System.arraycopy(x, 0, out, 0, dim);
            return;
        }
        for (int i = 0; i < dim; i++) {
            double s = x[i];
            for (int m = 0; m < i; m++) {
                s -= chol[m][i] * out[m];
            }
            out[i] = s / chol[i][i];
        }
    }

    /** Sum of the k smallest squared distances to the training windows (k + 1 with itself). */
    private double ncm(double[] v, boolean self) {
        int kk = Math.min(self ? k + 1 : k, trainCount);
        int filled = 0;
        for (int t = 0; t < trainCount; t++) {
            double[] u = white[t];
            double d = 0;
            for (int j = 0; j < dim; j++) {
                double e = u[j] - v[j];
                d += e * e;
            }
            if (filled < kk) {
                int i = filled++;
                while (i > 0 && best[i - 1] > d) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = d;
            } else if (d < best[kk - 1]) {
                int i = kk - 1;
                while (i > 0 && best[i - 1] > d) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = d;
            }
        }
        double s = 0;
        for (int i = 0; i < filled; i++) {
            s += best[i];
        }
        return s;
    }

    @Override
    public long stateBytes() {
        long arrays = 3L * 16 + 8L * values.length + 8L * calib.length + (16 + 8L * size) + size * (16 + 8L * dim)
                + 3L * (16 + 8L * dim) + (16 + 8L * best.length);
        long metric = chol == null ? 0 : 16 + 8L * dim + dim * (16 + 8L * dim);
        return 16 + 8 * 8 + arrays + metric;
    }
}
