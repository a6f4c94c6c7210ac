package io.nightshift.operator.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader Lease of the operator's replicas, held under the pod's name.
 *
 * <p>JOSDK can exit the process whenever leadership ends, including when it ends because the operator is
 * stopping; that {@code System.exit} from inside the JVM's shutdown hook never returns. Nor does it give the
 * Lease up, so a standby would wait out the whole lease duration. Here the process exits only when the Lease is
 * lost while the operator runs (so that two replicas never reconcile at once), and a stopping operator releases
 * the Lease the way client-go's {@code ReleaseOnCancel} does: no holder, one second left. A standby then takes
 * over at its next retry, within about two seconds.
 */
public final class LeaderLease {

    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);

    private final KubernetesClient client;
    private final String name;
    private final String namespace;
    private final String holder;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** @param namespace the Lease's namespace; null: the client's namespace */
    public LeaderLease(KubernetesClient client, String name, String namespace, String holder) {
        this.client = client;
        this.name = name;
        this.namespace = namespace == null || namespace.isBlank() ? client.getNamespace() : namespace;
        this.holder = holder;
    }

    public LeaderElectionConfiguration configuration() {
        return new LeaderElectionConfiguration(name, namespace, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, holder,
                new LeaderCallbacks(() -> log.info("{} leads: holds Lease {}/{}", holder, namespace, name), this::leadershipEnded, leader -> {
                }), false);
    }

    private void leadershipEnded() {
        if (stopping.get()) {
            return;
        }
        log.error("{} lost Lease {}/{} (its renewal failed): exiting so that only the new leader reconciles", holder, namespace, name);
        // Not from this thread: exit runs the shutdown hook, which stops the executor this callback runs on.
        new Thread(() -> System.exit(1), "lease-lost").start();
    }

    /** Call before stopping the operator: the end of leadership that follows is expected. */
    public void stopping() {
        stopping.set(true);
    }

    /**
     * Gives the Lease up if this replica holds it: no holder, so a standby may take it at once. A replace, not
     * fabric8's merge patch, which cannot remove the holder; locked on the version read, so a renewal in between
     * wins.
     */
    public void release() {
        try {
            Lease current = client.resources(Lease.class).inNamespace(namespace).withName(name).get();
            if (current == null || current.getSpec() == null || !holder.equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            current.getSpec().setHolderIdentity(null);
            current.getSpec().setLeaseDurationSeconds(1);
            current.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            client.resource(current).update();
            log.info("{} released Lease {}/{}", holder, namespace, name);
        } catch (KubernetesClientException e) {
            log.warn("{} could not release Lease {}/{} ({}); a standby takes over when it expires", holder, namespace, name, e.getMessage());
        }
    }

    public String holder() {
        return holder;
    }
}
