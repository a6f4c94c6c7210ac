package io.nightshift.sandbox.database;

import io.nightshift.api.Identifiers;
import io.nightshift.api.StorageCleanupTask;
import io.nightshift.api.TableName;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.sandbox.stubs.StubServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Rows for every example to work on (old and new logs, users, posts, proxies, transcriptions) and the files they point at. */
public final class SampleData {

    private static final String SCRIPT = "/sample-data.sql";

    private SampleData() {
    }

    /** Fills the examples' tables; run after {@code examples/schema.sql}. */
    public static void load(SandboxDatabase database) throws IOException, SQLException {
        try (InputStream in = SampleData.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is missing from the sandbox's classpath");
            }
            database.runSql(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Puts the file of every row a storage-cleanup job looks at into the stub Storage, so that deleting it is real. */
    public static void storeFiles(SandboxDatabase database, List<MaintenanceJob> jobs, StubServices stubs) throws SQLException {
        for (MaintenanceJob job : jobs) {
            StorageCleanupTask task = job.getSpec().task().storageCleanup();
            if (task == null) {
                continue;
            }
            String column = Identifiers.quote(task.pathColumn());
            try (Connection c = database.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + column + " FROM " + TableName.parse(task.table()).quoted()
                            + " WHERE " + column + " IS NOT NULL")) {
                while (rs.next()) {
                    stubs.storeFile(task.bucket(), rs.getString(1));
                }
            }
        }
    }
}
