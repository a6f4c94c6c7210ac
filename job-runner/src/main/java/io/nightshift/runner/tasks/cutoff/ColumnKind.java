package io.nightshift.runner.tasks.cutoff;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The three column types a cutoff applies to, whatever their precision ({@code timestamp(3)} as Prisma
 * creates it, {@code timestamp(6)} as Rails does) and through any domain over them.
 */
public enum ColumnKind {
    TIMESTAMPTZ(1184, "timestamptz"),
    TIMESTAMP(1114, "timestamp"),
    DATE(1082, "date");

    private final int oid;
    private final String sqlType;

    ColumnKind(int oid, String sqlType) {
        this.oid = oid;
        this.sqlType = sqlType;
    }

    /** The type a bound cutoff is cast to in SQL ({@code ?::timestamp}). */
    public String sqlType() {
        return sqlType;
    }

    /** The kind of a column's type, following domains down to their base type; empty for any other type. */
    public static Optional<ColumnKind> of(Connection c, long typeOid) throws SQLException {
        long current = typeOid;
        for (int depth = 0; depth < 32; depth++) {
            for (ColumnKind kind : values()) {
                if (kind.oid == current) {
                    return Optional.of(kind);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT typtype, typbasetype FROM pg_type WHERE oid = ?")) {
                ps.setLong(1, current);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"d".equals(rs.getString(1))) {
                        return Optional.empty();
                    }
                    current = rs.getLong(2);
                }
            }
        }
        return Optional.empty();
    }
}
