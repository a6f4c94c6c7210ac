package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.Identifiers;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rows of the DEFAULT partition: how many there are, and which of the ranges about to get a partition hold
 * some. PostgreSQL refuses a partition whose range holds rows of the DEFAULT partition (they would be in the wrong
 * partition), so such a range is left for a person to move the rows (docs/job-runner.md), and every other range
 * still gets its partition. One scan of the DEFAULT partition finds both.
 *
 * @param rows the rows in the DEFAULT partition
 * @param blocked the ranges of {@code ranges} that hold rows of it
 */
record DefaultRows(long rows, Set<Range> blocked) {

    static final DefaultRows NONE = new DefaultRows(0, Set.of());

    static DefaultRows count(Connection c, Partition defaultPartition, String column, KeySpace space, List<Range> ranges) throws SQLException {
        if (defaultPartition == null) {
            return NONE;
        }
        // width_bucket numbers the gaps between sorted thresholds: bucket i holds [t(i), t(i+1)).
        TreeSet<Instant> edges = new TreeSet<>();
        ranges.forEach(r -> {
            edges.add(r.from());
            edges.add(r.to());
        });
        List<Instant> thresholds = new ArrayList<>(edges);
        String key = Identifiers.quote(column);
        String buckets = "NULL::int[]";
        if (!thresholds.isEmpty()) {
            String type = space.kind().sqlType();
            StringBuilder array = new StringBuilder("ARRAY[");
            for (int i = 0; i < thresholds.size(); i++) {
                array.append(i == 0 ? "" : ", ").append('\'').append(space.literal(thresholds.get(i))).append("'::").append(type);
            }
            array.append(']');
            buckets = "array_agg(DISTINCT width_bucket(" + key + ", " + array + ")) FILTER (WHERE " + key + " >= '"
                    + space.literal(thresholds.get(0)) + "'::" + type + " AND " + key + " < '"
                    + space.literal(thresholds.get(thresholds.size() - 1)) + "'::" + type + ")";
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), " + buckets + " FROM " + defaultPartition.sql())) {
            rs.next();
            long rows = rs.getLong(1);
            Set<Range> blocked = new HashSet<>();
            Array hit = rs.getArray(2);
            if (hit != null) {
                for (Object bucket : (Object[]) hit.getArray()) {
                    Instant from = thresholds.get(((Number) bucket).intValue() - 1);
                    ranges.stream().filter(r -> r.from().equals(from)).forEach(blocked::add);
                }
            }
            return new DefaultRows(rows, Set.copyOf(blocked));
        }
    }
}
