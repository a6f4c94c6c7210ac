package io.nightshift.sandbox.report;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The run ledger as {@code psql} would show it, newest run last. */
public final class LedgerRows {

    private LedgerRows() {
    }

    public static String render(Connection connection) throws SQLException {
        StringBuilder out = new StringBuilder(String.format("%-4s %-28s %-8s %-9s %s%n", "ID", "JOB_NAME", "STATUS", "MS", "STATS / ERROR"));
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, job_name, status, duration_ms, stats::text, error_message "
                        + "FROM public.job_executions ORDER BY id")) {
            while (rs.next()) {
                String error = rs.getString(6);
                String detail = rs.getString(5) + (error == null ? "" : "  " + oneLine(error));
                out.append(String.format("%-4d %-28s %-8s %-9s %s%n", rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4) == null ? "" : rs.getString(4), detail));
            }
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
