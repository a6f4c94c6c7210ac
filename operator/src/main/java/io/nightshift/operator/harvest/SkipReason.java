package io.nightshift.operator.harvest;

/** Why the runner skipped a run, from its result document's {@code reason}, as a status reason and a message. */
final class SkipReason {

    static final String SLOT_ALREADY_DONE = "slot already done";
    static final String LOCK_HELD = "another run holds the job's lock";

    private SkipReason() {
    }

    /** {@code SlotAlreadyDone}, {@code LockHeld}, or null for a reason this operator does not know (or none, from older runners). */
    static String of(String reason) {
        if (SLOT_ALREADY_DONE.equals(reason)) {
            return "SlotAlreadyDone";
        }
        return LOCK_HELD.equals(reason) ? "LockHeld" : null;
    }

    /** E.g. {@code slot already done (slot 2026-12-02T06:44:00Z)}; null without a reason. */
    static String message(String reason, String slot) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return reason + (slot == null || slot.isBlank() ? "" : " (slot " + slot + ")");
    }
}
