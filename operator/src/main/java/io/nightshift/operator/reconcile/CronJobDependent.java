package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.cache.CachePruning;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CronJob of a MaintenanceJob, owned by it (so Kubernetes deletes it with the MaintenanceJob).
 * Its informer only sees CronJobs nightshift manages.
 */
public final class CronJobDependent extends CRUDKubernetesDependentResource<CronJob, MaintenanceJob> {

    private static final Logger LOG = LoggerFactory.getLogger(CronJobDependent.class);

    private final String runnerImage;

    public CronJobDependent(String runnerImage) {
        super(CronJob.class);
        this.runnerImage = runnerImage;
    }

    @Override
    protected CronJob desired(MaintenanceJob primary, Context<MaintenanceJob> context) {
        return CronJobRenderer.render(primary, runnerImage);
    }

    /**
     * The SDK would render the whole desired CronJob only to learn its name: a sixth of the reconciles' CPU
     * when the operator started with 10,000 MaintenanceJobs (the matcher renders it once more anyway).
     */
    @Override
    protected ResourceID targetSecondaryResourceID(MaintenanceJob primary, Context<MaintenanceJob> context) {
        return new ResourceID(Names.cronJobName(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
    }

    /** See {@link CronJobMatch}: what the API server fills in or canonicalises never causes a write. */
    @Override
    public Matcher.Result<CronJob> match(CronJob actual, MaintenanceJob primary, Context<MaintenanceJob> context) {
        CronJob desired = desired(primary, context);
        List<String> differences = CronJobMatch.differences(desired, actual);
        if (!differences.isEmpty()) {
            LOG.info("CronJob {}/{} differs from its MaintenanceJob at {}: updating it", actual.getMetadata().getNamespace(),
                    actual.getMetadata().getName(), String.join(", ", differences));
        }
        return Matcher.Result.computed(differences.isEmpty(), desired);
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<CronJob> informerConfigurationBuilder(EventSourceContext<MaintenanceJob> context) {
        return super.informerConfigurationBuilder(context).withLabelSelector(MetadataKeys.MANAGED_BY_LABEL + "=" + MetadataKeys.MANAGED_BY)
                .withItemStore(CachePruning.cronJobs()).withInformerListLimit(CachePruning.LIST_PAGE);
    }
}
