package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The status fields the reconciler owns: observedGeneration, Ready, task, cronJobName, lastScheduleTime
 * and nextScheduleTime. Everything else in the status (the runs) is left as it is.
 */
final class StatusUpdates {

    static final String REASON_INVALID = "InvalidSpec";
    static final String REASON_READY = "CronJobReady";

    private StatusUpdates() {
    }

    static void invalid(MaintenanceJob job, String message, Instant now) {
        MaintenanceJobStatus status = status(job);
        status.setObservedGeneration(job.getMetadata().getGeneration());
        status.setTask(job.getSpec() == null || job.getSpec().task() == null ? null : job.getSpec().task().kind());
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, false, REASON_INVALID, message,
                job.getMetadata().getGeneration(), now));
    }

    static void ready(MaintenanceJob job, CronJob cronJob, Instant now) {
        MaintenanceJobSpec spec = job.getSpec();
        MaintenanceJobStatus status = status(job);
        status.setObservedGeneration(job.getMetadata().getGeneration());
        status.setTask(spec.task().kind());
        status.setCronJobName(Names.cronJobName(job.getMetadata().getName()));
        if (cronJob != null && cronJob.getStatus() != null && cronJob.getStatus().getLastScheduleTime() != null) {
            status.setLastScheduleTime(cronJob.getStatus().getLastScheduleTime());
        }
        status.setNextScheduleTime(spec.suspended() ? null : nextRun(spec, now).map(StatusUpdates::format).orElse(null));
        String message = "CronJob " + status.getCronJobName() + " runs " + spec.task().kind() + " on schedule \"" + spec.schedule()
                + "\" (" + spec.timeZoneOrDefault() + ")" + (spec.suspended() ? "; suspended" : "");
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, true, REASON_READY, message,
                job.getMetadata().getGeneration(), now));
    }

    /** How long until the schedule's next run, so the status can be refreshed then; empty when suspended. */
    static Optional<Duration> untilNextRun(MaintenanceJob job, Instant now) {
        if (job.getSpec().suspended()) {
            return Optional.empty();
        }
        return nextRun(job.getSpec(), now).map(next -> Duration.between(now, next));
    }

    static Optional<Instant> nextRun(MaintenanceJobSpec spec, Instant now) {
        return CronSchedule.parse(spec.schedule()).nextAfter(now, ZoneId.of(spec.timeZoneOrDefault()));
    }

    static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static MaintenanceJobStatus status(MaintenanceJob job) {
        if (job.getStatus() == null) {
            job.setStatus(new MaintenanceJobStatus());
        }
        return job.getStatus();
    }
}
