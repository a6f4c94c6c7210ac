package io.nightshift.runner.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * How a test's runner reaches its database: directly, or through a real PgBouncer in transaction mode,
 * where each transaction may reach another server connection. Test classes that must hold on both run once
 * per value ({@code @ParameterizedClass @EnumSource(ConnectionTarget.class)}); without pgbouncer on the
 * machine, the pooled invocation's tests are skipped and say why.
 */
public enum ConnectionTarget {

    DIRECT("direct"),
    PGBOUNCER_TRANSACTION("pgbouncer-transaction");

    private final String label;

    ConnectionTarget(String label) {
        this.label = label;
    }

    /** The {@code postgresql://} URI by which the runner reaches {@code db}; skips the test when this target cannot run here. */
    public String uri(TestDatabase db) {
        return uri(db, db.user(), db.password());
    }

    /** The same for another role; through PgBouncer the role is let in first. */
    public String uri(TestDatabase db, String user, String password) {
        if (this == DIRECT) {
            return "postgresql://" + user + ":" + password + "@" + db.host() + ":" + db.port() + "/" + db.database();
        }
        assumeAvailable();
        PgBouncer bouncer = PgBouncer.shared(db);
        if (!user.equals(db.user())) {
            bouncer.allow(user);
        }
        return bouncer.uri(db, user, password);
    }

    /**
     * Skips the calling test, saying why, when this target cannot run on this machine, or, through PgBouncer, on
     * another PostgreSQL major than the default: what the pooler does does not depend on the server behind it.
     */
    public void assumeAvailable() {
        if (this == PGBOUNCER_TRANSACTION) {
            String reason = PgBouncer.unavailable().orElse(null);
            Assumptions.assumeTrue(reason == null, () -> "skipped through PgBouncer: " + reason);
            Assumptions.assumeTrue(PostgresBinaries.requestedMajor().isEmpty(),
                    "through PgBouncer on the default PostgreSQL only: the pooler's behaviour does not depend on the server's major");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
