package io.nightshift.api;

import java.util.List;

/**
 * A Secret in the job's namespace that a task reads, named by the task's field {@code field}. The
 * operator passes it to the runner only by reference: each listed key as the environment variable it is
 * mapped to, or, with no keys listed, every key of the Secret as an environment variable of the same name.
 */
public record SecretReference(String field, String secretName, List<Key> keys) {

    /** One key of the Secret and the environment variable the runner reads its value from. */
    public record Key(String key, String env) {
    }

    public SecretReference {
        keys = List.copyOf(keys);
    }

    /** The listed keys of the Secret, each passed as its environment variable. */
    public static SecretReference keys(String field, String secretName, Key... keys) {
        return new SecretReference(field, secretName, List.of(keys));
    }

    /** Every key of the Secret, each as an environment variable of the same name. */
    public static SecretReference everyKey(String field, String secretName) {
        return new SecretReference(field, secretName, List.of());
    }

    /** Whether every key of the Secret is passed, rather than the listed ones. */
    public boolean everyKey() {
        return keys.isEmpty();
    }

    /** The same reference with its field named under {@code prefix}, e.g. {@code storageCleanup.secretName}. */
    SecretReference under(String prefix) {
        return new SecretReference(prefix + "." + field, secretName, keys);
    }
}
