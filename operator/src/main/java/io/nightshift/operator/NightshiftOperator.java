package io.nightshift.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.reconcile.MaintenanceJobReconciler;
import java.time.Clock;

/**
 * Builds the operator the same way for the shipped process and for tests: JSON merge patches for status
 * and plain create/update for the CronJob rather than server-side apply, so the path the tests run
 * against Kubernetes' API mock is the path that ships.
 */
public final class NightshiftOperator {

    private NightshiftOperator() {
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace()));
            }
        });
        operator.register(new MaintenanceJobReconciler(settings.runnerImage(), clock), c -> {
            if (settings.watchNamespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
        return operator;
    }
}
