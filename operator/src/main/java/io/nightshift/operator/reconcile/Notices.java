package io.nightshift.operator.reconcile;

import io.nightshift.operator.events.RunEvents;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.ArrayList;
import java.util.List;

/**
 * The Events and run counts a reconcile decided on, sent only once the status that records the same
 * news has been written: if that write loses to a newer version of the MaintenanceJob, the reconcile is
 * done again from the newer one, and nothing is said twice.
 */
final class Notices {

    private record Event(MaintenanceJob job, String type, String reason, String about, String message) {
    }

    private record Count(String namespace, String name, String task, String result) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Count> counts = new ArrayList<>();
    private final List<Runnable> logLines = new ArrayList<>();

    void normal(MaintenanceJob job, String reason, String about, String message) {
        events.add(new Event(job, "Normal", reason, about, message));
    }

    void warning(MaintenanceJob job, String reason, String about, String message) {
        events.add(new Event(job, "Warning", reason, about, message));
    }

    void countRun(String namespace, String name, String task, String result) {
        counts.add(new Count(namespace, name, task, result));
    }

    /** A log line about the same news, written once with it. */
    void log(Runnable line) {
        logLines.add(line);
    }

    void send(RunEvents sink, JobMetrics metrics) {
        for (Event e : events) {
            if ("Warning".equals(e.type())) {
                sink.warning(e.job(), e.reason(), e.about(), e.message());
            } else {
                sink.normal(e.job(), e.reason(), e.about(), e.message());
            }
        }
        counts.forEach(c -> metrics.countRun(c.namespace(), c.name(), c.task(), c.result()));
        logLines.forEach(Runnable::run);
    }
}
