package io.drover.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Medians and percentiles of benchmark samples, as the other benchmarks compute them. */
public final class BenchStats {

    private BenchStats() {}

    /** The median; for an even count the mean of the two middle samples; NaN for none. */
    public static double median(long[] samples) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double) sorted[mid]) / 2;
    }

    public static double median(double[] samples) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The nearest-rank percentile; NaN for none. */
    public static double percentile(long[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Nanosecond samples as milliseconds with one decimal, in the order taken. */
    public static String millis(long[] nanos) {
        return Arrays.stream(nanos).mapToObj(n -> String.format(Locale.ROOT, "%.1f", n / 1e6))
                .collect(Collectors.joining(" "));
    }
}
