package io.nightshift.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobList;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Objects exactly as a real API server returns them, through the caches: what the operator reads stays, the rest goes. */
class CachePruningTest {

    private static <T> T fixture(String name, Class<T> type) throws Exception {
        try (InputStream in = CachePruningTest.class.getResourceAsStream("/real-apiserver/" + name)) {
            return Serialization.unmarshal(in, type);
        }
    }

    private static <R extends HasMetadata> R cached(ItemStore<R> store, R resource) {
        String key = store.getKey(resource);
        store.put(key, resource);
        return store.get(key);
    }

    @Test
    void cronJobsKeepTheirSpecAndLoseManagedFields() throws Exception {
        CronJob real = fixture("cronjobs.json", CronJobList.class).getItems().get(0);
        String schedule = real.getSpec().getSchedule();
        assertThat(real.getMetadata().getManagedFields()).isNotEmpty();

        CronJobSpec spec = new CronJobSpecBuilder(real.getSpec()).build();

        CronJob kept = cached(CachePruning.cronJobs(), real);

        assertThat(kept.getSpec()).as("the spec read back from its compact form").isEqualTo(spec);
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).containsKey("nightshift.io/maintenance-job");
        assertThat(kept.getSpec().getSchedule()).isEqualTo(schedule);
        assertThat(kept.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers()).as("run-now copies the job template")
                .isNotEmpty();
    }

    @Test
    void jobsKeepMetadataAndStatusOnly() throws Exception {
        Job real = fixture("jobs.json", JobList.class).getItems().get(0);
        String slot = real.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp");

        Job kept = cached(CachePruning.jobs(), real);

        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", slot)
                .containsKey("nightshift.io/maintenance-job-name");
        assertThat(kept.getMetadata().getName()).isEqualTo(real.getMetadata().getName());
        assertThat(kept.getStatus()).isEqualTo(fixture("jobs.json", JobList.class).getItems().get(0).getStatus());
    }

    @Test
    void podsKeepMetadataPhaseAndContainerStates() throws Exception {
        Pod real = fixture("pods.json", PodList.class).getItems().get(0);
        String phase = real.getStatus().getPhase();

        Pod kept = cached(CachePruning.pods(), real);

        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).containsKey("batch.kubernetes.io/job-name");
        assertThat(kept.getStatus().getPhase()).isEqualTo(phase);
        assertThat(Serialization.asJson(kept).length()).as("a fraction of the pod as the server sends it")
                .isLessThan(Serialization.asJson(fixture("pods.json", PodList.class).getItems().get(0)).length() / 3);
    }

    @Test
    void maintenanceJobsLoseManagedFieldsAndKubectlsCopyOfTheSpec() throws Exception {
        DefaultKubernetesResourceList<MaintenanceJob> list;
        try (InputStream in = CachePruningTest.class.getResourceAsStream("/real-apiserver/maintenancejobs.json")) {
            list = Serialization.unmarshal(in, new TypeReference<DefaultKubernetesResourceList<MaintenanceJob>>() {
            });
        }
        MaintenanceJob real = list.getItems().get(0);
        assertThat(real.getMetadata().getAnnotations()).containsKey(CachePruning.LAST_APPLIED);

        MaintenanceJob kept = cached(CachePruning.whole(), real);

        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).doesNotContainKey(CachePruning.LAST_APPLIED);
        assertThat(kept.getSpec()).isNotNull();
        assertThat(kept.getStatus()).isNotNull();
    }
}
