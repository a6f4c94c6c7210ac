package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.nightshift.api.FieldError;
import io.nightshift.operator.events.RunEvents;
import io.nightshift.operator.harvest.RunSources;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeps each MaintenanceJob's CronJob equal to its spec, starts run-now Jobs, records finished runs,
 * and keeps the status, Events and metrics saying so. An invalid spec changes nothing in the cluster:
 * the CronJob (if any) stays as it was and the status says why.
 */
@ControllerConfiguration(name = "maintenancejob", generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrRunNowChanged.class))
public final class MaintenanceJobReconciler implements Reconciler<MaintenanceJob> {

    private final CronJobDependent cronJobs;
    private final Clock clock;
    private final JobMetrics metrics;
    private final RunTracker runs;

    public MaintenanceJobReconciler(String runnerImage, Clock clock, JobMetrics metrics, RunEvents events) {
        this.cronJobs = new CronJobDependent(runnerImage);
        this.clock = clock;
        this.metrics = metrics;
        this.runs = new RunTracker(events, metrics);
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
        List<FieldError> errors = SpecValidator.validate(job);
        if (!errors.isEmpty()) {
            String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
            runs.invalidSpec(job, message);
            StatusUpdates.invalid(job, message, now);
            return UpdateControl.patchStatus(job);
        }
        cronJobs.reconcile(job, context);
        List<Job> jobs = new ArrayList<>(context.getSecondaryResources(Job.class));
        List<Pod> pods = new ArrayList<>(context.getSecondaryResources(Pod.class));
        if (runs.behind(job, jobs, pods, () -> FreshStatus.read(context.getClient(), job))) {
            return UpdateControl.<MaintenanceJob>noUpdate().rescheduleAfter(Duration.ofMillis(500));
        }
        Optional<CronJob> cronJob = context.getSecondaryResource(CronJob.class);
        StatusUpdates.ready(job, cronJob.orElse(null), now);
        cronJob.ifPresent(cron -> runs.runNowIfAsked(job, cron, context.getClient()));
        Optional<Instant> checkAgain = runs.harvest(job, jobs, pods, now);
        metrics.update(job.getMetadata().getNamespace(), job.getMetadata().getName(), job.getSpec().task().kind(),
                MetricValues.of(job, jobs, now));

        UpdateControl<MaintenanceJob> control = UpdateControl.patchStatus(job);
        Optional<Instant> wake = StatusUpdates.nextRun(job.getSpec(), now).filter(t -> !job.getSpec().suspended());
        if (checkAgain.isPresent() && (wake.isEmpty() || checkAgain.get().isBefore(wake.get()))) {
            wake = checkAgain;
        }
        return wake.map(t -> control.rescheduleAfter(Duration.between(now, t).plusSeconds(1))).orElse(control);
    }
}
