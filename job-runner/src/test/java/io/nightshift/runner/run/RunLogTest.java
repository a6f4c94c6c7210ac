package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.NumberFormat;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunLogTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 7, -7, 999, 1000, -1000, 20_004, 999_999, 1_136_103, -123_456_789, Long.MAX_VALUE, Long.MIN_VALUE})
    void countsAreGroupedInThousandsAsInEnglish(long n) {
        assertThat(RunLog.count(n)).isEqualTo(NumberFormat.getIntegerInstance(Locale.US).format(n));
    }
}
