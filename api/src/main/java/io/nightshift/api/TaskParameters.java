package io.nightshift.api;

import java.util.List;

/** The parameters of one task kind (one component of {@link Task}): how they are checked, and which Secrets the task reads. */
public interface TaskParameters {

    /**
     * Every problem with the parameters, each naming its field under {@code prefix} (e.g.
     * {@code spec.task.retention}). An empty list means the task can run.
     */
    List<FieldError> validate(String prefix);

    /**
     * The Secrets the task reads service credentials from, each named by one of its fields (which the
     * reference names relative to these parameters, e.g. {@code secretName}); none by default. A required
     * Secret is listed even when its field is unset, so that the missing name is reported.
     */
    default List<SecretReference> secrets() {
        return List.of();
    }
}
