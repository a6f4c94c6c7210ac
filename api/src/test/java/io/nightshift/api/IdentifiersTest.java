package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void quotesPlainNames() {
        assertThat(Identifiers.quote("system_logs")).isEqualTo("\"system_logs\"");
        assertThat(TableName.parse("system_logs").quoted()).isEqualTo("\"public\".\"system_logs\"");
        assertThat(TableName.parse("audit.events")).isEqualTo(new TableName("audit", "events"));
    }

    @Test
    void refusesAnythingThatCouldCarrySql() {
        for (String bad : new String[] {"logs; DROP TABLE x", "\"logs\"", "logs--", "a.b.c", "", "1logs", "lo gs",
                "x".repeat(64)}) {
            assertThat(Identifiers.isQualifiedName(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> TableName.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Identifiers.quote("a\"b")).isInstanceOf(IllegalArgumentException.class);
    }
}
