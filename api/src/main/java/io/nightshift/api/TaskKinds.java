package io.nightshift.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The task kinds of a task record, read from its components: each component is one kind, its name the
 * kind's name and its type the kind's {@link TaskParameters} record (the CRD generator reads the same
 * components into {@code spec.task}'s schema). All that depends on the list of kinds follows from it: the
 * list itself, the rule that exactly one kind is set, validation, the Secrets a task reads, and a task
 * made of one kind's parameters.
 */
public final class TaskKinds<T extends Record> {

    private record Registered(TaskKind kind, Method accessor) {
    }

    private final Class<T> taskType;
    private final List<Registered> registered;
    private final Constructor<T> constructor;

    private TaskKinds(Class<T> taskType, List<Registered> registered, Constructor<T> constructor) {
        this.taskType = taskType;
        this.registered = registered;
        this.constructor = constructor;
    }

    /** The kinds of {@code taskType}; fails when a component's type is not a {@link TaskParameters} record, or two share one. */
    public static <T extends Record> TaskKinds<T> of(Class<T> taskType) {
        List<Registered> registered = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        for (RecordComponent component : taskType.getRecordComponents()) {
            Class<?> type = component.getType();
            String name = taskType.getSimpleName() + "." + component.getName();
            if (!TaskParameters.class.isAssignableFrom(type)) {
                throw new IllegalStateException(name + ": a task kind's type implements TaskParameters, " + type.getName() + " does not");
            }
            if (types.contains(type)) {
                throw new IllegalStateException(name + ": " + type.getName() + " is already the type of another kind; each needs its own");
            }
            types.add(type);
            registered.add(new Registered(new TaskKind(component.getName(), type.asSubclass(TaskParameters.class)), component.getAccessor()));
        }
        try {
            return new TaskKinds<>(taskType, List.copyOf(registered), taskType.getDeclaredConstructor(types.toArray(Class<?>[]::new)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(taskType.getName() + " has no canonical constructor", e);
        }
    }

    /** Every kind, in the order of the components. */
    public List<TaskKind> all() {
        return registered.stream().map(Registered::kind).toList();
    }

    /** Every kind's name, in the order of the components, e.g. {@code sql, retention, ...}. */
    public List<String> names() {
        return registered.stream().map(r -> r.kind().name()).toList();
    }

    /** The rule every task follows, as a person reads it: {@code set exactly one of sql, retention, ...}. */
    public String exactlyOne() {
        return "set exactly one of " + String.join(", ", names());
    }

    /** The kind set on the task; empty unless exactly one is set. */
    public Optional<TaskKind> kind(T task) {
        Map<TaskKind, TaskParameters> present = present(task);
        return present.size() == 1 ? Optional.of(present.keySet().iterator().next()) : Optional.empty();
    }

    /** The parameters of the kind set on the task; empty unless exactly one is set. */
    public Optional<TaskParameters> parameters(T task) {
        Map<TaskKind, TaskParameters> present = present(task);
        return present.size() == 1 ? Optional.of(present.values().iterator().next()) : Optional.empty();
    }

    /** Every problem with the task, each naming its field under {@code path}; exactly one kind must be set. */
    public List<FieldError> validate(T task, String path) {
        Map<TaskKind, TaskParameters> present = present(task);
        if (present.size() != 1) {
            String found = present.isEmpty() ? "none" : present.keySet().stream().map(TaskKind::name).collect(Collectors.joining(", "));
            return List.of(new FieldError(path, exactlyOne() + " (found " + found + ")"));
        }
        Map.Entry<TaskKind, TaskParameters> set = present.entrySet().iterator().next();
        return set.getValue().validate(path + "." + set.getKey().name());
    }

    /** The Secrets the task reads, each field named from the task down, e.g. {@code storageCleanup.secretName}. */
    public List<SecretReference> secrets(T task) {
        Map<TaskKind, TaskParameters> present = present(task);
        if (present.size() != 1) {
            return List.of();
        }
        Map.Entry<TaskKind, TaskParameters> set = present.entrySet().iterator().next();
        return set.getValue().secrets().stream().map(s -> s.under(set.getKey().name())).toList();
    }

    /** The task that is exactly these parameters' kind. */
    public T of(TaskParameters parameters) {
        Object[] components = new Object[registered.size()];
        for (int i = 0; i < components.length; i++) {
            if (registered.get(i).kind().parameters() == parameters.getClass()) {
                components[i] = parameters;
                try {
                    return constructor.newInstance(components);
                } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot make a " + taskType.getSimpleName(), e);
                }
            }
        }
        throw new IllegalArgumentException(parameters.getClass().getName() + " is not a task kind of " + taskType.getName());
    }

    /** The kinds set on the task with their parameters, in the order of the components. */
    private Map<TaskKind, TaskParameters> present(T task) {
        Map<TaskKind, TaskParameters> present = new LinkedHashMap<>();
        for (Registered r : registered) {
            try {
                Object value = r.accessor().invoke(task);
                if (value != null) {
                    present.put(r.kind(), (TaskParameters) value);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + taskType.getSimpleName() + "." + r.kind().name(), e);
            }
        }
        return present;
    }
}
