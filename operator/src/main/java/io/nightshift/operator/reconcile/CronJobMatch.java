package io.nightshift.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the CronJob in the cluster is the one the operator wants, as server-side apply would judge
 * it: every field the operator sets must have its value (quantities compared by amount, so the
 * server's {@code 500m} is the operator's {@code 0.5}); a field the operator does not set is left to
 * whoever set it (the API server's defaults, other controllers), unless it is one the operator owns
 * and sets for some specs only (a timeout, a node selector, ...): then its presence means the spec
 * dropped it and the CronJob must follow.
 */
public final class CronJobMatch {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String POD = "spec.jobTemplate.spec.template.spec";
    private static final String CONTAINER = POD + ".containers[]";

    /** Fields the operator sets for some specs and not for others: their presence alone is a difference. */
    private static final Set<String> OWNED = Set.of(
            "spec.startingDeadlineSeconds",
            "spec.jobTemplate.metadata.labels",
            "spec.jobTemplate.metadata.annotations",
            "spec.jobTemplate.spec.activeDeadlineSeconds",
            "spec.jobTemplate.spec.template.metadata.labels",
            "spec.jobTemplate.spec.template.metadata.annotations",
            POD + ".serviceAccountName",
            POD + ".nodeSelector",
            POD + ".tolerations",
            POD + ".affinity",
            CONTAINER + ".env",
            CONTAINER + ".envFrom",
            CONTAINER + ".resources");

    private CronJobMatch() {
    }

    /** The paths at which {@code actual} is not what {@code desired} asks for; empty when it is. */
    public static List<String> differences(CronJob desired, CronJob actual) {
        List<String> differences = new ArrayList<>();
        JsonNode want = JSON.convertValue(desired, JsonNode.class);
        JsonNode have = JSON.convertValue(actual, JsonNode.class);
        for (String map : List.of("labels", "annotations")) {
            // other tools may label and annotate the CronJob itself: only the operator's own entries count
            Iterator<Map.Entry<String, JsonNode>> entries = want.path("metadata").path(map).fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> e = entries.next();
                if (!e.getValue().equals(have.path("metadata").path(map).get(e.getKey()))) {
                    differences.add("metadata." + map + "." + e.getKey());
                }
            }
        }
        compare(want.path("spec"), have.path("spec"), "spec", false, differences);
        return differences;
    }

    private static void compare(JsonNode want, JsonNode have, String path, boolean owned, List<String> differences) {
        boolean ownedHere = owned || OWNED.contains(path);
        if (isEmpty(want)) {
            if (!isEmpty(have) && ownedHere) {
                differences.add(path);
            }
            return;
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                differences.add(path);
                return;
            }
            want.fieldNames().forEachRemaining(name -> compare(want.get(name), have.path(name), path + "." + name, ownedHere, differences));
            have.fieldNames().forEachRemaining(name -> {
                if (!want.has(name)) {
                    compare(want.path(name), have.get(name), path + "." + name, ownedHere, differences);
                }
            });
        } else if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                differences.add(path);
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                compare(want.get(i), have.get(i), path + "[]", ownedHere, differences);
            }
        } else if (!sameValue(want, have, path)) {
            differences.add(path);
        }
    }

    private static boolean sameValue(JsonNode want, JsonNode have, String path) {
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        if (want.equals(have)) {
            return true;
        }
        if (path.startsWith(CONTAINER + ".resources.") && want.isTextual() && have.isTextual()) {
            try {
                return new Quantity(want.asText()).getNumericalAmount().compareTo(new Quantity(have.asText()).getNumericalAmount()) == 0;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    /** Missing, null, {} and []: what the server may drop or add without meaning anything. */
    private static boolean isEmpty(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty());
    }
}
