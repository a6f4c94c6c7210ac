package io.nightshift.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a MaintenanceJob need a reconcile: a new spec (generation) or a new run-now value.
 * The operator's own status patches are neither, so they cannot loop.
 */
public final class SpecOrRunNowChanged implements OnUpdateFilter<MaintenanceJob> {

    @Override
    public boolean accept(MaintenanceJob updated, MaintenanceJob old) {
        return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                || !Objects.equals(runNow(updated), runNow(old))
                || updated.getMetadata().getDeletionTimestamp() != null;
    }

    private static String runNow(MaintenanceJob job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(MetadataKeys.RUN_NOW_ANNOTATION);
    }
}
