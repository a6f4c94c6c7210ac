package io.nightshift.sandbox.cluster;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.schedule.CronSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for Kubernetes' CronJob controller: once a second it creates the Job of every CronJob whose
 * scheduled time has come (named and annotated as Kubernetes does), honours {@code suspend},
 * {@code startingDeadlineSeconds} and {@code concurrencyPolicy}, keeps the CronJob's status and removes
 * finished Jobs beyond the history limits.
 */
public final class LocalCronJobController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCronJobController.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-cronjob");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<CronJob> cronJobs;
    private SharedIndexInformer<Job> jobs;

    public LocalCronJobController(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void start() {
        cronJobs = client.batch().v1().cronjobs().inAnyNamespace().inform();
        jobs = client.batch().v1().jobs().inAnyNamespace().inform();
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            if (ticker.isShutdown()) {
                return; // closing: the request in flight was interrupted
            }
            LOG.warn("cronjob controller: {}", e.getMessage(), e);
        }
    }

    /** One pass over every CronJob, as the controller's sync loop does. */
    void tick() {
        Instant now = clock.instant();
        for (CronJob cron : cronJobs.getStore().list()) {
            List<Job> own = jobs.getStore().list().stream().filter(j -> ownedBy(j, cron)).toList();
            Optional<Instant> due = dueSlot(cron, now);
            if (due.isPresent()) {
                start(cron, own, due.get(), now);
            }
            pruneHistory(cron, own);
            updateStatus(cron, own);
        }
    }

    /** The latest slot at or before {@code now} that has not been started yet, when it is still within the starting deadline. */
    static Optional<Instant> dueSlot(CronJob cron, Instant now) {
        if (Boolean.TRUE.equals(cron.getSpec().getSuspend())) {
            return Optional.empty();
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cron.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        ZoneId zone = ZoneId.of(cron.getSpec().getTimeZone() == null ? "UTC" : cron.getSpec().getTimeZone());
        String last = cron.getStatus() == null ? null : cron.getStatus().getLastScheduleTime();
        Instant since = last != null ? Instant.parse(last) : Instant.parse(cron.getMetadata().getCreationTimestamp());
        Optional<Instant> slot = schedule.lastAtOrBefore(now, zone, since);
        Long deadline = cron.getSpec().getStartingDeadlineSeconds();
        return slot.filter(s -> s.isAfter(since))
                .filter(s -> deadline == null || !now.isAfter(s.plusSeconds(deadline)));
    }

    private void start(CronJob cron, List<Job> own, Instant slot, Instant now) {
        List<Job> active = own.stream().filter(j -> !LocalJobController.finished(j)).toList();
        String policy = cron.getSpec().getConcurrencyPolicy() == null ? "Allow" : cron.getSpec().getConcurrencyPolicy();
        if (!active.isEmpty() && "Forbid".equals(policy)) {
            LOG.info("cronjob {}/{}: slot {} skipped, a run is still active (concurrencyPolicy Forbid)",
                    cron.getMetadata().getNamespace(), cron.getMetadata().getName(), slot);
            markScheduled(cron, slot);
            return;
        }
        if (!active.isEmpty() && "Replace".equals(policy)) {
            active.forEach(j -> client.resource(j).delete());
        }
        try {
            client.resource(job(cron, slot)).create();
            LOG.info("cronjob {}/{}: started the run of {}", cron.getMetadata().getNamespace(), cron.getMetadata().getName(), slot);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        markScheduled(cron, slot);
    }

    /** The Job of one slot: named {@code <cronjob>-<minutes since the epoch>} as Kubernetes names it, so a slot runs once. */
    static Job job(CronJob cron, Instant slot) {
        Map<String, String> annotations = new HashMap<>();
        if (cron.getSpec().getJobTemplate().getMetadata() != null && cron.getSpec().getJobTemplate().getMetadata().getAnnotations() != null) {
            annotations.putAll(cron.getSpec().getJobTemplate().getMetadata().getAnnotations());
        }
        annotations.put(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP, slot.toString());
        return new JobBuilder()
                .withNewMetadata()
                    .withName(cron.getMetadata().getName() + "-" + slot.getEpochSecond() / 60)
                    .withNamespace(cron.getMetadata().getNamespace())
                    .withLabels(cron.getSpec().getJobTemplate().getMetadata() == null ? null
                            : cron.getSpec().getJobTemplate().getMetadata().getLabels())
                    .withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                            .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec())
                .build();
    }

    private void markScheduled(CronJob cron, Instant slot) {
        client.batch().v1().cronjobs().inNamespace(cron.getMetadata().getNamespace()).withName(cron.getMetadata().getName())
                .editStatus(c -> {
                    status(c).setLastScheduleTime(slot.toString());
                    return c;
                });
    }

    /** Finished Jobs beyond the history limits go, oldest first, with their pods (the API mock has no garbage collector). */
    private void pruneHistory(CronJob cron, List<Job> own) {
        prune(own.stream().filter(LocalJobController::succeeded).toList(), limit(cron.getSpec().getSuccessfulJobsHistoryLimit(), 3));
        prune(own.stream().filter(j -> LocalJobController.finished(j) && !LocalJobController.succeeded(j)).toList(),
                limit(cron.getSpec().getFailedJobsHistoryLimit(), 1));
    }

    private void prune(List<Job> finished, int keep) {
        if (finished.size() <= keep) {
            return;
        }
        finished.stream().sorted(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp()))
                .limit(finished.size() - keep)
                .forEach(j -> {
                    client.pods().inNamespace(j.getMetadata().getNamespace())
                            .withLabel(MetadataKeys.JOB_NAME_LABEL, j.getMetadata().getName()).delete();
                    client.resource(j).delete();
                });
    }

    private void updateStatus(CronJob cron, List<Job> own) {
        List<String> activeNames = own.stream().filter(j -> !LocalJobController.finished(j)).map(j -> j.getMetadata().getName())
                .sorted().toList();
        Optional<String> lastSuccess = own.stream().filter(LocalJobController::succeeded)
                .map(j -> j.getStatus().getCompletionTime()).max(Comparator.naturalOrder());
        CronJobStatus current = cron.getStatus() == null ? new CronJobStatus() : cron.getStatus();
        List<String> currentActive = current.getActive() == null ? List.of()
                : current.getActive().stream().map(r -> r.getName()).sorted().toList();
        boolean successChanged = lastSuccess.isPresent() && !lastSuccess.get().equals(current.getLastSuccessfulTime());
        if (currentActive.equals(activeNames) && !successChanged) {
            return;
        }
        client.batch().v1().cronjobs().inNamespace(cron.getMetadata().getNamespace()).withName(cron.getMetadata().getName())
                .editStatus(c -> {
                    status(c).setActive(activeNames.stream().map(n -> new ObjectReferenceBuilder().withApiVersion("batch/v1")
                            .withKind("Job").withName(n).withNamespace(cron.getMetadata().getNamespace()).build()).toList());
                    lastSuccess.ifPresent(status(c)::setLastSuccessfulTime);
                    return c;
                });
    }

    private static CronJobStatus status(CronJob cron) {
        if (cron.getStatus() == null) {
            cron.setStatus(new CronJobStatus());
        }
        return cron.getStatus();
    }

    private static boolean ownedBy(Job job, CronJob cron) {
        return job.getMetadata().getNamespace().equals(cron.getMetadata().getNamespace()) && job.getMetadata().getOwnerReferences() != null
                && job.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "CronJob".equals(o.getKind()) && o.getName().equals(cron.getMetadata().getName()));
    }

    private static int limit(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (cronJobs != null) {
            cronJobs.close();
        }
        if (jobs != null) {
            jobs.close();
        }
    }
}
