package io.nightshift.chart;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The sample names of a Prometheus text exposition, exactly as they appear (histograms as _bucket, _count, _sum). */
final class ExportedMetrics {

    private ExportedMetrics() {
    }

    static Set<String> names(String exposition) {
        return Arrays.stream(exposition.split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The label names of the samples of {@code metric}. */
    static Set<String> labelNames(String exposition, String metric) {
        return Arrays.stream(exposition.split("\n"))
                .filter(line -> line.startsWith(metric + "{"))
                .map(line -> line.substring(line.indexOf('{') + 1, line.indexOf('}')))
                .flatMap(labels -> Arrays.stream(labels.split(",(?=[a-zA-Z_]\\w*=\")")))
                .map(pair -> pair.substring(0, pair.indexOf('=')))
                .collect(Collectors.toUnmodifiableSet());
    }
}
