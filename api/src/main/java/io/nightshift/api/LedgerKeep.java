package io.nightshift.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the run ledger keeps a job's rows ({@code spec.ledger.keep}, the runner's
 * {@code NIGHTSHIFT_LEDGER_KEEP}): a duration of at least a day such as {@code 90d}, or {@code forever}.
 */
public final class LedgerKeep {

    public static final String FOREVER = "forever";
    /** The default for a ledger table the runner created itself; a table the team already had keeps everything. */
    public static final String DEFAULT_FOR_OWN_TABLE = "90d";
    /** Shorter would forget which scheduled slots are done while a late duplicate of one may still come. */
    public static final Duration MINIMUM = Duration.ofDays(1);
    /** The same rule as {@link #parse} (less the minimum), for the CRD schema. */
    public static final String PATTERN = "^(forever|([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?)$";

    private LedgerKeep() {
    }

    /** The age past which rows go, empty for {@code forever}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Optional<Duration> parse(String text) {
        if (text != null && FOREVER.equals(text.trim())) {
            return Optional.empty();
        }
        Duration keep;
        try {
            keep = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", or forever");
        }
        if (keep.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("'" + text.trim() + "' is shorter than 1d: the ledger must remember at least a day of runs "
                    + "(which scheduled slots are done)");
        }
        return Optional.of(keep);
    }
}
