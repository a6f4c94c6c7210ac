package io.nightshift.sandbox.report;

import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A plain-text table of each MaintenanceJob's last run, for a person to read at a glance. */
public final class RunTable {

    private static final String[] HEADERS = {"JOB", "TASK", "RESULT", "DURATION", "STATS / MESSAGE"};

    private RunTable() {
    }

    public static String render(List<MaintenanceJob> jobs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (MaintenanceJob job : jobs) {
            RunRecord run = job.getStatus() == null ? null : job.getStatus().getLastRun();
            String task = job.getSpec().task() == null ? "" : String.valueOf(job.getSpec().task().kind());
            if (run == null) {
                rows.add(new String[] {job.getMetadata().getName(), task, "(no run)", "", ""});
                continue;
            }
            rows.add(new String[] {job.getMetadata().getName(), task, run.result(), duration(run.durationMs()), detail(run)});
        }
        return format(rows);
    }

    static String duration(Long ms) {
        if (ms == null) {
            return "";
        }
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String detail(RunRecord run) {
        String stats = run.stats() == null || run.stats().isEmpty() ? ""
                : run.stats().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().asText())
                        .collect(Collectors.joining(" "));
        if (RunResult.SUCCESS.is(run.result()) || run.message() == null) {
            return stats;
        }
        String message = run.message().replaceAll("\\s+", " ");
        if (message.length() > 90) {
            message = message.substring(0, 87) + "...";
        }
        return stats.isEmpty() ? message : stats + "  " + message;
    }

    private static String format(List<String[]> rows) {
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i] == null ? 4 : row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String cell = row[i] == null ? "" : row[i];
                out.append(i == row.length - 1 ? cell : String.format("%-" + (widths[i] + 2) + "s", cell));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
