package io.nightshift.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import java.util.Objects;

/**
 * The one place that writes a MaintenanceJob's status. It writes only when the status changed, as one
 * JSON patch locked to the resourceVersion the reconcile started from, and puts the server's answer in
 * the SDK's cache of MaintenanceJobs, so the next reconcile starts from this write even before the
 * informer has seen it. A copy older than the server's gets 409 and nothing is written: the reconcile is
 * done again from the newer copy, so a run is never recorded twice nor a write undone.
 */
final class StatusRecorder {

    enum Outcome { UNCHANGED, WRITTEN, STALE }

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private StatusRecorder() {
    }

    static MaintenanceJobStatus copy(MaintenanceJobStatus status) {
        return status == null ? null : JSON.clone(status);
    }

    static boolean same(MaintenanceJobStatus a, MaintenanceJobStatus b) {
        return Objects.equals(tree(a), tree(b));
    }

    private static JsonNode tree(MaintenanceJobStatus status) {
        return status == null ? null : JSON.convertValue(status, JsonNode.class);
    }

    /** {@code job} carries the new status; {@code before} is the status its resourceVersion holds. */
    static Outcome write(MaintenanceJob job, MaintenanceJobStatus before, Context<MaintenanceJob> context) {
        if (same(before, job.getStatus())) {
            return Outcome.UNCHANGED;
        }
        MaintenanceJob base = JSON.clone(job);
        base.setStatus(before);
        MaintenanceJobStatus wanted = job.getStatus();
        String version = job.getMetadata().getResourceVersion();
        try {
            MaintenanceJob written = context.getClient().resources(MaintenanceJob.class).inNamespace(job.getMetadata().getNamespace())
                    .resource(base).editStatus(r -> {
                        r.setStatus(wanted);
                        r.getMetadata().setResourceVersion(version);
                        return r;
                    });
            context.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(job), written, job);
            return Outcome.WRITTEN;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Outcome.STALE;
            }
            throw e;
        }
    }
}
