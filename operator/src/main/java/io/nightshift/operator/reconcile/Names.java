package io.nightshift.operator.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names and labels derived from a MaintenanceJob's name. Kubernetes limits a CronJob's name to 52
 * characters (its Jobs append an 11-character suffix) and a label value to 63: longer names are cut and
 * given a hash of the full name, so they stay short, stable and distinct.
 */
public final class Names {

    public static final int CRONJOB_NAME_LIMIT = 52;
    public static final int LABEL_VALUE_LIMIT = 63;

    private Names() {
    }

    /** The CronJob's name: the MaintenanceJob's name when it fits in 52 characters. */
    public static String cronJobName(String maintenanceJobName) {
        return shorten(maintenanceJobName, CRONJOB_NAME_LIMIT);
    }

    /** The value of the {@code nightshift.io/maintenance-job} label naming a MaintenanceJob. */
    public static String maintenanceJobLabelValue(String maintenanceJobName) {
        return shorten(maintenanceJobName, LABEL_VALUE_LIMIT);
    }

    static String shorten(String name, int limit) {
        if (name.length() <= limit) {
            return name;
        }
        String hash = hash(name);
        String prefix = name.substring(0, limit - hash.length() - 1).replaceAll("[-.]+$", "");
        return prefix + "-" + hash;
    }

    private static String hash(String name) {
        return hash(name, 4);
    }

    /** The first {@code bytes} bytes of the text's SHA-256, in hex: a short, stable name part. */
    public static String hash(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
