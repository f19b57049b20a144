package io.stockline.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Zipf-distributed ranks in {@code [0, n)}: rank k is drawn with weight {@code 1 / (k + 1)^skew}. */
final class Zipf {

    private final double[] cumulative;

    Zipf(final int n, final double skew) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one rank, got " + n);
        }
        if (skew < 0) {
            throw new IllegalArgumentException("the skew must not be negative, got " + skew);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, skew);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
    }

    int next(final SplittableRandom random) {
        final int found = Arrays.binarySearch(cumulative, random.nextDouble());
        final int rank = found >= 0 ? found : -found - 1;
        return Math.min(rank, cumulative.length - 1);
    }

    /** The probability of drawing {@code rank}. */
    double probability(final int rank) {
        return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
    }
}
