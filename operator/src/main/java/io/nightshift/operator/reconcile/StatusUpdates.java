package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.schedule.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The status fields the reconciler owns: observedGeneration, Ready, task, cronJobName, lastScheduleTime
 * and nextScheduleTime. They describe the CronJob in the cluster: observedGeneration moves to a
 * generation, and Ready is True, only once the CronJob is what that generation asks for; the schedule
 * times are the CronJob's. Everything else in the status (the runs) is left as it is.
 */
final class StatusUpdates {

    static final String REASON_INVALID = "InvalidSpec";
    static final String REASON_READY = "CronJobReady";

    private StatusUpdates() {
    }

    static void invalid(MaintenanceJob job, String message, CronJob cronJob, Instant now) {
        MaintenanceJobStatus status = status(job);
        status.setTask(job.getSpec() == null || job.getSpec().task() == null ? null : job.getSpec().task().kind());
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, false, REASON_INVALID,
                message + stillRunning(cronJob), job.getMetadata().getGeneration(), now));
        schedule(status, cronJob, now);
    }

    static void refused(MaintenanceJob job, CronJobRefusal refusal, CronJob cronJob, Instant now) {
        MaintenanceJobStatus status = status(job);
        status.setTask(job.getSpec().task().kind());
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, false, refusal.reason(),
                refusal.message() + stillRunning(cronJob), job.getMetadata().getGeneration(), now));
        schedule(status, cronJob, now);
    }

    static void ready(MaintenanceJob job, CronJob cronJob, Instant now) {
        MaintenanceJobSpec spec = job.getSpec();
        MaintenanceJobStatus status = status(job);
        status.setObservedGeneration(job.getMetadata().getGeneration());
        status.setTask(spec.task().kind());
        schedule(status, cronJob, now);
        String message = "CronJob " + status.getCronJobName() + " runs " + spec.task().kind() + " on schedule \"" + spec.schedule()
                + "\" (" + spec.timeZoneOrDefault() + ")" + (spec.suspended() ? "; suspended" : "");
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, true, REASON_READY, message,
                job.getMetadata().getGeneration(), now));
    }

    /** What the CronJob in the cluster does, whatever the spec says now. */
    private static void schedule(MaintenanceJobStatus status, CronJob cronJob, Instant now) {
        if (cronJob == null) {
            status.setCronJobName(null);
            status.setNextScheduleTime(null);
            return;
        }
        status.setCronJobName(cronJob.getMetadata().getName());
        if (cronJob.getStatus() != null && cronJob.getStatus().getLastScheduleTime() != null) {
            status.setLastScheduleTime(cronJob.getStatus().getLastScheduleTime());
        }
        status.setNextScheduleTime(nextRun(cronJob, now).map(StatusUpdates::format).orElse(null));
    }

    private static String stillRunning(CronJob cronJob) {
        if (cronJob == null) {
            return "";
        }
        return "; CronJob " + cronJob.getMetadata().getName() + " is unchanged, on schedule \"" + cronJob.getSpec().getSchedule() + "\""
                + (Boolean.TRUE.equals(cronJob.getSpec().getSuspend()) ? " (suspended)" : "");
    }

    /** When the CronJob next starts a run, as its controller counts; empty when suspended or never. */
    static Optional<Instant> nextRun(CronJob cronJob, Instant now) {
        if (cronJob == null || cronJob.getSpec() == null || Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return Optional.empty();
        }
        try {
            String zone = cronJob.getSpec().getTimeZone() == null ? MaintenanceJobSpec.DEFAULT_TIME_ZONE : cronJob.getSpec().getTimeZone();
            String last = cronJob.getStatus() == null ? null : cronJob.getStatus().getLastScheduleTime();
            String anchor = last != null ? last : cronJob.getMetadata().getCreationTimestamp();
            return CronSchedule.parse(cronJob.getSpec().getSchedule()).nextAfter(now, ZoneId.of(zone), anchor == null ? now : Instant.parse(anchor));
        } catch (RuntimeException e) {
            // a CronJob someone edited into something this operator cannot read: no claim about its next run
            return Optional.empty();
        }
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
