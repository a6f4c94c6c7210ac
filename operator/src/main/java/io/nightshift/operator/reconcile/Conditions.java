package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** metav1.Condition bookkeeping: a condition's transition time moves only when its status changes. */
public final class Conditions {

    public static final String READY = "Ready";

    private Conditions() {
    }

    /** The list with {@code type} set; other conditions are kept as they are. */
    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason, String message,
            Long generation, Instant now) {
        List<Condition> result = new ArrayList<>(current == null ? List.of() : current);
        Optional<Condition> existing = result.stream().filter(c -> type.equals(c.getType())).findFirst();
        String value = status ? "True" : "False";
        String transition = existing.filter(c -> value.equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        Condition updated = new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
        existing.ifPresentOrElse(c -> result.set(result.indexOf(c), updated), () -> result.add(updated));
        return result;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
    }
}
