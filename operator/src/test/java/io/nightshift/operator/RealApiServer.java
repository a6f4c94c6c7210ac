package io.nightshift.operator;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nightshift.operator.resource.MaintenanceJob;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Objects as a real API server (v1.32) returned them, from {@code src/test/resources/real-apiserver}:
 * the examples' MaintenanceJobs and the CronJobs the operator made of them, with the server's defaults,
 * canonical quantities and managedFields, and one Job and its pod as the CronJob and Job controllers made them. Their runner image was {@link #RUNNER_IMAGE}.
 *
 * <p>They were captured before {@code timeout} had a default (1h). The one MaintenanceJob without a timeout,
 * {@code quantities}, carries {@code timeout: "0"} here (no deadline), which is what its captured CronJob
 * (no {@code activeDeadlineSeconds}) renders from today; the only edit made to the capture.
 */
public final class RealApiServer {

    public static final String RUNNER_IMAGE = "ghcr.io/nightshift-io/job-runner:0.1.0-SNAPSHOT";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private RealApiServer() {
    }

    public static List<MaintenanceJob> maintenanceJobs() {
        return read("maintenancejobs.json", new TypeReference<DefaultKubernetesResourceList<MaintenanceJob>>() { }).getItems();
    }

    public static List<CronJob> cronJobs() {
        return read("cronjobs.json", new TypeReference<CronJobList>() { }).getItems();
    }

    /** A Job the real CronJob controller made of {@code quantities}' CronJob. */
    public static List<Job> jobs() {
        return read("jobs.json", new TypeReference<JobList>() { }).getItems();
    }

    /** The pod the real Job controller made for that Job. */
    public static List<Pod> pods() {
        return read("pods.json", new TypeReference<PodList>() { }).getItems();
    }

    private static <T> T read(String name, TypeReference<T> type) {
        try (InputStream in = RealApiServer.class.getResourceAsStream("/real-apiserver/" + name)) {
            return JSON.unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
