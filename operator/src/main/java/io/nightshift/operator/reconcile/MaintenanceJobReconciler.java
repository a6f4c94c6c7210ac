package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.nightshift.api.FieldError;
import io.nightshift.operator.events.RunEvents;
import io.nightshift.operator.harvest.RunSources;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each MaintenanceJob's CronJob equal to its spec, starts run-now Jobs, records finished runs,
 * and keeps the status, Events and metrics saying so. Each reconcile observes (the CronJob, Jobs and
 * pods, and whether the API server accepted the CronJob), decides the new status and its news, and
 * records: one status write when something changed, then the Events of that news. An invalid spec or
 * a CronJob the server refuses changes nothing in the cluster: the CronJob (if any) stays as it was and
 * the status says why.
 */
@ControllerConfiguration(name = "maintenancejob", generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrRunNowChanged.class))
public final class MaintenanceJobReconciler implements Reconciler<MaintenanceJob> {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceJobReconciler.class);
    /** A 409 on the CronJob usually means the cache is a moment behind: tried again this often before it is reported. */
    static final int CONFLICTS_BEFORE_REPORTING = 3;
    private static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);
    private static final Duration STALE_STATUS_RETRY = Duration.ofMillis(200);
    private static final Duration REFUSAL_RETRY_MIN = Duration.ofSeconds(10);
    private static final Duration REFUSAL_RETRY_MAX = Duration.ofMinutes(5);

    private final CronJobDependent cronJobs;
    private final Clock clock;
    private final JobMetrics metrics;
    private final RunEvents events;
    private final RunTracker runs = new RunTracker();
    private final Map<ResourceID, Integer> cronJobConflicts = new ConcurrentHashMap<>();

    public MaintenanceJobReconciler(String runnerImage, Clock clock, JobMetrics metrics, RunEvents events) {
        this.cronJobs = new CronJobDependent(runnerImage);
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public List<EventSource<?, MaintenanceJob>> prepareEventSources(EventSourceContext<MaintenanceJob> context) {
        List<EventSource<?, MaintenanceJob>> sources = new ArrayList<>(EventSourceUtils.dependentEventSources(context, cronJobs));
        sources.add(RunSources.jobs(context));
        sources.add(RunSources.pods(context));
        return sources;
    }

    @Override
    public UpdateControl<MaintenanceJob> reconcile(MaintenanceJob job, Context<MaintenanceJob> context) {
        Instant now = clock.instant();
        MaintenanceJobStatus before = StatusRecorder.copy(job.getStatus());
        Condition readyBefore = readyOf(before);
        Notices notices = new Notices();
        Optional<CronJob> existing = context.getSecondaryResource(CronJob.class);

        List<FieldError> errors = SpecValidator.validate(job);
        if (!errors.isEmpty()) {
            String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
            StatusUpdates.invalid(job, message, existing.orElse(null), now);
            announceReadiness(job, readyBefore, notices);
            return record(job, before, notices, context, Optional.empty());
        }

        Optional<CronJob> cronJob = existing;
        Optional<Duration> retry = Optional.empty();
        ResourceID id = ResourceID.fromResource(job);
        try {
            cronJob = cronJobs.reconcile(job, context).getSingleResource().or(() -> existing);
            cronJobConflicts.remove(id);
            StatusUpdates.ready(job, cronJob.orElse(null), now);
        } catch (KubernetesClientException e) {
            CronJobRefusal refusal = CronJobRefusal.of(e, existing.isPresent() ? "update" : "create", Names.cronJobName(job.getMetadata().getName()));
            if (e.getCode() == 409 && cronJobConflicts.merge(id, 1, Integer::sum) < CONFLICTS_BEFORE_REPORTING) {
                LOG.debug("{}: {}; trying again", id, refusal.message());
                return UpdateControl.<MaintenanceJob>noUpdate().rescheduleAfter(CONFLICT_RETRY);
            }
            StatusUpdates.refused(job, refusal, existing.orElse(null), now);
            retry = Optional.of(refusalRetry(readyOf(job.getStatus()), now));
        }
        announceReadiness(job, readyBefore, notices);

        List<Job> jobs = new ArrayList<>(context.getSecondaryResources(Job.class));
        List<Pod> pods = new ArrayList<>(context.getSecondaryResources(Pod.class));
        cronJob.ifPresent(cron -> runs.runNowIfAsked(job, cron, context.getClient()));
        Optional<Instant> checkAgain = runs.harvest(job, jobs, pods, now, notices);
        metrics.update(job.getMetadata().getNamespace(), job.getMetadata().getName(), job.getSpec().task().kind(),
                MetricValues.of(job, jobs, now));

        Optional<Instant> wake = StatusUpdates.nextRun(cronJob.orElse(null), now);
        if (checkAgain.isPresent() && (wake.isEmpty() || checkAgain.get().isBefore(wake.get()))) {
            wake = checkAgain;
        }
        Optional<Duration> after = wake.map(t -> Duration.between(now, t).plusSeconds(1));
        if (retry.isPresent() && (after.isEmpty() || retry.get().compareTo(after.get()) < 0)) {
            after = retry;
        }
        return record(job, before, notices, context, after);
    }

    /** The status write and, once it is in, the news; or, when the copy was stale, the reconcile again soon. */
    private UpdateControl<MaintenanceJob> record(MaintenanceJob job, MaintenanceJobStatus before, Notices notices,
            Context<MaintenanceJob> context, Optional<Duration> after) {
        StatusRecorder.Outcome outcome = StatusRecorder.write(job, before, context);
        if (outcome == StatusRecorder.Outcome.STALE) {
            LOG.debug("{}: the status changed meanwhile; reconciling again from the newer copy", ResourceID.fromResource(job));
            return UpdateControl.<MaintenanceJob>noUpdate().rescheduleAfter(STALE_STATUS_RETRY);
        }
        notices.send(events, metrics);
        UpdateControl<MaintenanceJob> control = UpdateControl.noUpdate();
        return after.map(control::rescheduleAfter).orElse(control);
    }

    /** A new Ready=False verdict (reason, message or generation): one Warning Event and one log line; Ready again: one line. */
    private static void announceReadiness(MaintenanceJob job, Condition before, Notices notices) {
        Condition now = readyOf(job.getStatus());
        ResourceID id = ResourceID.fromResource(job);
        if ("True".equals(now.getStatus())) {
            if (before == null || !"True".equals(before.getStatus())) {
                notices.log(() -> LOG.info("{}: ready: {}", id, now.getMessage()));
            }
            return;
        }
        if (before != null && "False".equals(before.getStatus()) && Objects.equals(before.getReason(), now.getReason())
                && Objects.equals(before.getMessage(), now.getMessage()) && Objects.equals(before.getObservedGeneration(), now.getObservedGeneration())) {
            return;
        }
        String about = "generation-" + job.getMetadata().getGeneration() + "/" + now.getReason() + "/" + Names.hash(now.getMessage(), 4);
        notices.warning(job, now.getReason(), about, now.getMessage());
        notices.log(() -> LOG.warn("{}: not ready ({}): {}", id, now.getReason(), now.getMessage()));
    }

    private static Condition readyOf(MaintenanceJobStatus status) {
        return status == null ? null : Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
    }

    /** Try a refused write again after as long as it has been refused, between 10 s and 5 min. */
    private static Duration refusalRetry(Condition ready, Instant now) {
        try {
            Duration refusedFor = Duration.between(Instant.parse(ready.getLastTransitionTime()), now);
            return refusedFor.compareTo(REFUSAL_RETRY_MIN) < 0 ? REFUSAL_RETRY_MIN
                    : refusedFor.compareTo(REFUSAL_RETRY_MAX) > 0 ? REFUSAL_RETRY_MAX : refusedFor;
        } catch (RuntimeException e) {
            return REFUSAL_RETRY_MIN;
        }
    }
}
