package io.tern.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The values one metric took over the rounds, with the order statistics the report prints. */
final class Samples {

    private final List<Double> values = new ArrayList<>();

    void add(Object value) {
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            values.add(number.doubleValue());
        }
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    int size() {
        return values.size();
    }

    double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    double sum() {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
