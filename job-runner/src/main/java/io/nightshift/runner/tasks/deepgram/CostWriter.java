package io.nightshift.runner.tasks.deepgram;

import io.nightshift.api.TableName;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Stores one cost, committed at once (auto-commit), only where it is still missing: a crash loses no stored cost and a rerun overwrites none. */
final class CostWriter {

    private final Connection connection;
    private final String sql;

    CostWriter(Connection connection, TableName table, String idColumn, String costColumn) {
        this.connection = connection;
        this.sql = "UPDATE " + table.quoted() + " SET " + costColumn + " = ? WHERE " + idColumn + " = ? AND " + costColumn + " IS NULL";
    }

    /** True when a row got the cost. */
    synchronized boolean store(String requestId, BigDecimal usd) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setBigDecimal(1, usd);
            ps.setString(2, requestId);
            return ps.executeUpdate() > 0;
        }
    }
}
