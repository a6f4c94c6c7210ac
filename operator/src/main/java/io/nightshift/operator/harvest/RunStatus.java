package io.nightshift.operator.harvest;

import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.reconcile.Conditions;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run fields of the status: lastRun, recentRuns (newest first, at most {@link #RECENT_RUNS}),
 * lastSuccessfulTime, lastFailureTime, consecutiveFailures and condition LastRunSucceeded.
 */
public final class RunStatus {

    public static final int RECENT_RUNS = 10;
    public static final String LAST_RUN_SUCCEEDED = "LastRunSucceeded";

    private RunStatus() {
    }

    /** Whether this Job's run is already in the status (so it is recorded once, across restarts). */
    public static boolean recorded(MaintenanceJobStatus status, String jobName) {
        return status.getRecentRuns() != null && status.getRecentRuns().stream().anyMatch(r -> jobName.equals(r.jobName()));
    }

    /**
     * Whether a finished run was recorded: listed, or, once the list is full, no newer than its oldest
     * entry (runs are recorded in the order they finish, so such a run was listed once and has since
     * been pushed out; this matters when history limits keep more Jobs than the list holds).
     */
    public static boolean recorded(MaintenanceJobStatus status, RunRecord run) {
        if (recorded(status, run.jobName())) {
            return true;
        }
        List<RunRecord> recent = status.getRecentRuns();
        if (recent == null || recent.size() < RECENT_RUNS || run.completedAt() == null) {
            return false;
        }
        String oldest = recent.get(recent.size() - 1).completedAt();
        return oldest != null && run.completedAt().compareTo(oldest) <= 0;
    }

    /** Adds a finished run. A skipped run (another held the lock) is listed but changes no success or failure counts. */
    public static void record(MaintenanceJobStatus status, RunRecord run, Long generation, Instant now) {
        List<RunRecord> recent = new ArrayList<>();
        recent.add(run);
        if (status.getRecentRuns() != null) {
            recent.addAll(status.getRecentRuns());
        }
        status.setRecentRuns(List.copyOf(recent.subList(0, Math.min(RECENT_RUNS, recent.size()))));
        status.setLastRun(run);
        String when = run.completedAt() != null ? run.completedAt() : now.toString();
        switch (RunResult.of(run.result()).orElse(RunResult.SKIPPED)) {
            case SUCCESS -> {
                status.setLastSuccessfulTime(when);
                status.setConsecutiveFailures(0);
                status.setConditions(Conditions.set(status.getConditions(), LAST_RUN_SUCCEEDED, true, "RunSucceeded",
                        "run " + run.jobName() + " succeeded", generation, now));
            }
            case FAILED -> {
                status.setLastFailureTime(when);
                status.setConsecutiveFailures((status.getConsecutiveFailures() == null ? 0 : status.getConsecutiveFailures()) + 1);
                status.setConditions(Conditions.set(status.getConditions(), LAST_RUN_SUCCEEDED, false,
                        run.reason() == null ? "RunFailed" : run.reason(), "run " + run.jobName() + " failed: " + run.message(), generation, now));
            }
            default -> {
                // skipped: the job's previous run was still going; nothing about success changes
            }
        }
        if (status.getConsecutiveFailures() == null) {
            status.setConsecutiveFailures(0);
        }
    }
}
