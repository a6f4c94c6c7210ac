package io.nightshift.operator.harvest;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nightshift.api.Durations;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Optional;

/**
 * The dead man's switch: a scheduled run that did not start within its starting deadline (or a grace of
 * 10 minutes), or a run still going past its timeout. Also says when to look again.
 */
public final class Overdue {

    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

    /** Whether the job is overdue now, why, and when the answer may next change. */
    public record Verdict(boolean overdue, String reason, String message, Optional<Instant> checkAgainAt) {
    }

    private Overdue() {
    }

    public static Verdict evaluate(MaintenanceJobSpec spec, Instant created, Collection<Job> jobs, Collection<Job> running, Instant now) {
        if (spec.suspended()) {
            return new Verdict(false, "Suspended", "the job is suspended", Optional.empty());
        }
        CronSchedule schedule = CronSchedule.parse(spec.schedule());
        ZoneId zone = ZoneId.of(spec.timeZoneOrDefault());
        Duration grace = spec.startingDeadlineSeconds() == null ? DEFAULT_GRACE : Duration.ofSeconds(spec.startingDeadlineSeconds());
        Duration timeout = spec.timeoutOrDefault().orElse(null);

        for (Job job : running) {
            Instant started = startOf(job);
            if (timeout != null && started != null && now.isAfter(started.plus(timeout))) {
                return new Verdict(true, "RunningPastTimeout", "run " + job.getMetadata().getName() + " started at " + started
                        + " is still running past its timeout of " + Durations.format(timeout), Optional.of(now.plusSeconds(60)));
            }
        }
        Optional<Instant> lastDue = schedule.lastAtOrBefore(now, zone, created);
        if (lastDue.isPresent() && created != null && lastDue.get().isAfter(created) && now.isAfter(lastDue.get().plus(grace))
                && jobs.stream().noneMatch(j -> startedAtOrAfter(j, lastDue.get()))) {
            return new Verdict(true, "MissedSchedule", "the run due at " + lastDue.get() + " did not start within "
                    + Durations.format(grace), schedule.nextAfter(now, zone, created).map(next -> next.plus(grace)));
        }
        Optional<Instant> check = lastDue.map(d -> d.plus(grace)).filter(t -> t.isAfter(now))
                .or(() -> schedule.nextAfter(now, zone, created).map(next -> next.plus(grace).plusSeconds(1)));
        if (timeout != null) {
            for (Job job : running) {
                Instant started = startOf(job);
                if (started != null) {
                    Instant limit = started.plus(timeout).plusSeconds(1);
                    check = check.filter(c -> c.isBefore(limit)).or(() -> Optional.of(limit));
                }
            }
        }
        return new Verdict(false, "OnSchedule", "runs start and finish when due", check);
    }

    private static boolean startedAtOrAfter(Job job, Instant due) {
        Instant started = startOf(job);
        String scheduled = job.getMetadata().getAnnotations() == null ? null
                : job.getMetadata().getAnnotations().get(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP);
        if (scheduled != null) {
            try {
                return !Instant.parse(scheduled).isBefore(due);
            } catch (RuntimeException ignored) {
                // fall back to the start time
            }
        }
        return started != null && !started.isBefore(due);
    }

    /** When a Job's run started: its start time, else its creation. */
    public static Instant startOf(Job job) {
        String start = job.getStatus() != null && job.getStatus().getStartTime() != null ? job.getStatus().getStartTime()
                : job.getMetadata().getCreationTimestamp();
        try {
            return start == null ? null : Instant.parse(start);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
