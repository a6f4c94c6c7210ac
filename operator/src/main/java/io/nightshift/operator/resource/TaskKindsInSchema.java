package io.nightshift.operator.resource;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nightshift.api.Task;
import io.nightshift.api.TaskKinds;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the task kinds into the CRD as it is generated, so that the schema follows {@link Task}'s
 * components: {@code spec.task}'s rule that exactly one kind is set (the API server refuses anything else
 * with the message validation gives) and the descriptions of {@code spec.task} and {@code status.task}
 * that list the kinds.
 */
public final class TaskKindsInSchema implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps resource, String input, KubernetesSerialization serialization) {
        List<String> kinds = Task.KINDS.names();
        JSONSchemaProps task = resource.getProperties().get("spec").getProperties().get("task");
        task.setDescription("What each run does: exactly one of " + String.join(", ", kinds) + ".");
        task.setXKubernetesValidations(List.of(exactlyOneRule(Task.KINDS)));
        resource.getProperties().get("status").getProperties().get("task").setDescription("The task kind: "
                + String.join(", ", kinds.subList(0, kinds.size() - 1)) + " or " + kinds.get(kinds.size() - 1) + ".");
        return resource;
    }

    /** A CEL rule, true when exactly one of the kinds is set, with the message validation gives. */
    static ValidationRule exactlyOneRule(TaskKinds<?> kinds) {
        String rule = kinds.names().stream().map(kind -> "has(self." + kind + ")").collect(Collectors.joining(", ", "[", "].filter(x, x).size() == 1"));
        return new ValidationRuleBuilder().withRule(rule).withMessage(kinds.exactlyOne()).build();
    }
}
