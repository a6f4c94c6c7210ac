package io.nightshift.runner.cli;

import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheduled slot a run belongs to, when it was started by a schedule. {@code NIGHTSHIFT_SLOT} (RFC 3339)
 * names it directly. In a pod, the CronJob controller's {@code batch.kubernetes.io/cronjob-scheduled-timestamp}
 * annotation is on the Job only, never on its pod, so the downward API cannot hand it over; but the
 * controller names each Job {@code <cronjob>-<scheduled time in minutes since the epoch>} and the pod
 * carries that name in its {@code batch.kubernetes.io/job-name} label: the operator passes it as
 * {@code NIGHTSHIFT_KUBERNETES_JOB}, with the CronJob's name as {@code NIGHTSHIFT_CRONJOB}. A Job of
 * another name (run-now, {@code kubectl create job --from=cronjob/...}) has no slot.
 */
final class ScheduledSlot {

    private ScheduledSlot() {
    }

    static Optional<Instant> fromEnvironment(Function<String, String> env) {
        String explicit = env.apply(RunnerEnvironment.SLOT);
        if (explicit != null && !explicit.isBlank()) {
            try {
                return Optional.of(OffsetDateTime.parse(explicit.trim()).toInstant());
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(RunnerEnvironment.SLOT + ": '" + explicit + "' is not an RFC 3339 time such as 2026-12-02T06:44:00Z");
            }
        }
        String job = env.apply(RunnerEnvironment.KUBERNETES_JOB);
        String cronJob = env.apply(RunnerEnvironment.CRONJOB);
        if (job == null || job.isBlank() || cronJob == null || cronJob.isBlank()) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile(Pattern.quote(cronJob.trim()) + "-([0-9]{1,12})").matcher(job.trim());
        return m.matches() ? Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)) * 60)) : Optional.empty();
    }
}
