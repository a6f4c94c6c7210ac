package io.nightshift.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nightshift.operator.reconcile.Names;
import io.nightshift.operator.resource.MaintenanceJob;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on a MaintenanceJob ({@code kubectl describe mj}). Each event is named after what it is about
 * (a Job, a spec generation), so the same event is written once even when the operator restarts or
 * reconciles the same state again.
 */
public final class RunEvents {

    public static final String RUN_STARTED = "RunStarted";
    public static final String RUN_SUCCEEDED = "RunSucceeded";
    public static final String RUN_FAILED = "RunFailed";
    public static final String RUN_SKIPPED = "RunSkipped";
    public static final String RUN_BLOCKED = "RunBlocked";
    private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

    private final KubernetesClient client;
    private final Clock clock;

    public RunEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(MaintenanceJob job, String reason, String about, String message) {
        emit(job, "Normal", reason, about, message);
    }

    public void warning(MaintenanceJob job, String reason, String about, String message) {
        emit(job, "Warning", reason, about, message);
    }

    private void emit(MaintenanceJob job, String type, String reason, String about, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(job.getMetadata().getName() + "." + Names.hash(reason + "/" + about, 8))
                    .withNamespace(job.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(job.getApiVersion()).withKind(job.getKind()).withName(job.getMetadata().getName())
                    .withNamespace(job.getMetadata().getNamespace()).withUid(job.getMetadata().getUid())
                    .withResourceVersion(job.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withNewSource().withComponent("nightshift-operator").endSource()
                .withReportingComponent("nightshift-operator")
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                LOG.warn("could not record event {} on {}/{}: {}", reason, job.getMetadata().getNamespace(), job.getMetadata().getName(),
                        e.getMessage());
            }
        }
    }

}
