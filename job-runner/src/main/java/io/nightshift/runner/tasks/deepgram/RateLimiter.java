package io.nightshift.runner.tasks.deepgram;

/**
 * Spaces request starts evenly: never more than {@code perSecond} starts in any second. The spacing has
 * 2 % to spare, so that the cap also holds where the requests arrive, after the network's jitter.
 */
final class RateLimiter {

    private final long intervalNanos;
    private long next = System.nanoTime();

    RateLimiter(int perSecond) {
        this.intervalNanos = 1_020_000_000L / perSecond;
    }

    /** Waits for the next start slot. */
    void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            slot = Math.max(next, System.nanoTime());
            next = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
