package io.nightshift.sandbox.report;

import java.util.stream.Collectors;

/** The nightshift series of a {@code /metrics} scrape, without the ones that have no value yet. */
public final class MetricLines {

    private MetricLines() {
    }

    public static String of(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("nightshift_") && !l.endsWith(" NaN"))
                .sorted()
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
