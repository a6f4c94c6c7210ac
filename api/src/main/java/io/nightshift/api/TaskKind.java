package io.nightshift.api;

/** One kind of task: its name in {@code spec.task} (e.g. {@code retention}) and the record of its parameters. */
public record TaskKind(String name, Class<? extends TaskParameters> parameters) {
}
