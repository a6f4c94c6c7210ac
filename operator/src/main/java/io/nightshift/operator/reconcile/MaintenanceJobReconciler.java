package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.nightshift.api.FieldError;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeps each MaintenanceJob's CronJob equal to its spec, and its status saying so. An invalid spec
 * changes nothing in the cluster: the CronJob (if any) stays as it was and the status says why.
 */
@ControllerConfiguration(name = "maintenancejob")
public final class MaintenanceJobReconciler implements Reconciler<MaintenanceJob> {

    private final CronJobDependent cronJobs;
    private final Clock clock;

    public MaintenanceJobReconciler(String runnerImage, Clock clock) {
        this.cronJobs = new CronJobDependent(runnerImage);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MaintenanceJob>> prepareEventSources(EventSourceContext<MaintenanceJob> context) {
        return EventSourceUtils.dependentEventSources(context, cronJobs);
    }

    @Override
    public UpdateControl<MaintenanceJob> reconcile(MaintenanceJob job, Context<MaintenanceJob> context) {
        Instant now = clock.instant();
        List<FieldError> errors = SpecValidator.validate(job.getSpec());
        if (!errors.isEmpty()) {
            String message = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
            StatusUpdates.invalid(job, message, now);
            return UpdateControl.patchStatus(job);
        }
        cronJobs.reconcile(job, context);
        Optional<CronJob> cronJob = context.getSecondaryResource(CronJob.class);
        StatusUpdates.ready(job, cronJob.orElse(null), now);
        UpdateControl<MaintenanceJob> control = UpdateControl.patchStatus(job);
        Optional<Duration> untilNext = StatusUpdates.untilNextRun(job, now);
        return untilNext.map(d -> control.rescheduleAfter(d.plusSeconds(1))).orElse(control);
    }
}
