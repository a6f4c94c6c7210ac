package io.nightshift.operator.resource;

/** What to do when a run is due while the previous one is still going; the CronJob's own policy. */
public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
}
