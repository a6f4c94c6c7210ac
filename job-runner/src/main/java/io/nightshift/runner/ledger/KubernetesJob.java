package io.nightshift.runner.ledger;

import java.util.Map;

/**
 * The Kubernetes Job a run belongs to: its name and, where the pod was told, its uid. Kubernetes may start
 * a Job's pod more than once; the Job succeeds at most once. The uid tells a Job made again under the same
 * name from the first one; without it the name is the Job's identity.
 */
public record KubernetesJob(String name, String uid) {

    /** The keys under which a ledger row's {@code stats} record the Job. */
    static final String NAME = "kubernetesJob";
    static final String UID = "kubernetesJobUid";

    public KubernetesJob {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a Kubernetes Job has a name");
        }
        uid = uid == null || uid.isBlank() ? null : uid;
    }

    void addTo(Map<String, Object> stats) {
        stats.put(NAME, name);
        if (uid != null) {
            stats.put(UID, uid);
        }
    }
}
