package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import java.util.Optional;

/**
 * The status as the API server has it now. The informer's copy may not yet hold the operator's last
 * write; recording a run on top of it would record the previous run twice or lose it.
 */
final class FreshStatus {

    private FreshStatus() {
    }

    static Optional<MaintenanceJobStatus> read(KubernetesClient client, MaintenanceJob job) {
        MaintenanceJob current = client.resources(MaintenanceJob.class).inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).get();
        return Optional.ofNullable(current).map(MaintenanceJob::getStatus);
    }
}
