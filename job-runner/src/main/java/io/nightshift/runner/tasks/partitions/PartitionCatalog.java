package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.TableName;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a partitioned table's partitions and their bounds from the catalog. */
final class PartitionCatalog {

    /** A quoted literal of pg_get_expr's output, unquoted: {@code '2026-12-04 00:00:00+01'} → {@code 2026-12-04 00:00:00+01}. */
    private static final String UNQUOTED = "replace(substr(%1$s, 2, length(%1$s) - 2), '''''', '''')";

    private PartitionCatalog() {
    }

    /**
     * Every partition with its bounds. The bounds are read back in the same statement that prints them, so the
     * session's time zone and date style, whatever they are, print and read them alike.
     */
    static List<Partition> partitions(Connection c, PartitionedTable table) throws SQLException {
        String type = table.kind().sqlType();
        String sql = "SELECT n.nspname || '.' || k.relname, quote_ident(n.nspname) || '.' || quote_ident(k.relname), k.relkind, i.inhdetachpending, b.m[1], b.m[2], "
                + "CASE WHEN b.m[1] LIKE '''%' THEN " + UNQUOTED.formatted("b.m[1]") + "::" + type + " END, "
                + "CASE WHEN b.m[2] LIKE '''%' THEN " + UNQUOTED.formatted("b.m[2]") + "::" + type + " END "
                + "FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(k.relpartbound, k.oid), "
                + "'^FOR VALUES FROM [(](.+)[)] TO [(](.+)[)]$') AS m) b "
                + "WHERE i.inhparent = ? ORDER BY 7, 2";
        List<Partition> partitions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Range range = rs.getString(5) == null ? null
                            : new Range(bound(rs, 7, rs.getString(5), table.kind()), bound(rs, 8, rs.getString(6), table.kind()));
                    partitions.add(new Partition(rs.getString(1), rs.getString(2), range, rs.getString(3).charAt(0), rs.getBoolean(4)));
                }
            }
        }
        return partitions;
    }

    /** The names in the table's schema that a new partition's name could clash with. */
    static Set<String> namesLike(Connection c, TableName table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.relname FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "WHERE n.nspname = ? AND starts_with(k.relname, ?)")) {
            ps.setString(1, table.schema());
            ps.setString(2, PartitionNames.prefix(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** One bound as a point: MINVALUE, MAXVALUE and ±infinity are the ends of time. */
    private static Instant bound(ResultSet rs, int column, String written, ColumnKind kind) throws SQLException {
        if (written.equals("MINVALUE")) {
            return Instant.MIN;
        }
        if (written.equals("MAXVALUE")) {
            return Instant.MAX;
        }
        return switch (kind) {
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                yield t.equals(OffsetDateTime.MIN) ? Instant.MIN : t.equals(OffsetDateTime.MAX) ? Instant.MAX : t.toInstant();
            }
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                yield t.equals(LocalDateTime.MIN) ? Instant.MIN : t.equals(LocalDateTime.MAX) ? Instant.MAX : t.toInstant(ZoneOffset.UTC);
            }
            case DATE -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                yield d.equals(LocalDate.MIN) ? Instant.MIN : d.equals(LocalDate.MAX) ? Instant.MAX : d.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        };
    }
}
