package io.nightshift.runner.run;

import io.nightshift.api.Task;
import io.nightshift.api.TableName;
import io.nightshift.runner.ledger.KubernetesJob;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One run's settings, from the runner's contract environment and the command line. {@code slot} is the
 * scheduled slot the run belongs to, null for a run without one (run-now, a run by hand);
 * {@code kubernetesJob} the Kubernetes Job whose pod this is, null for a run by hand;
 * {@code ledgerKeep} is {@code NIGHTSHIFT_LEDGER_KEEP} as checked by {@link io.nightshift.api.LedgerKeep}, null when unset.
 */
public record RunSettings(String jobName, String namespace, String podName, Task task, TableName ledgerTable,
        Path terminationLog, boolean dryRun, Instant slot, KubernetesJob kubernetesJob, String ledgerKeep) {

    /** The ledger's {@code job_name} is a VARCHAR(100). */
    public static final int MAX_JOB_NAME = 100;
}
