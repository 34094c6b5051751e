package org.nlsniff.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    private static final DateTimeFormatter REF =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(longs = {0L, 1796322236055245890L, 951782400123456789L, 4102444799999999999L,
        -1L, 1709164800000000000L})
    void formatsLikeJavaTimeWithMicroseconds(long nanos) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
        assertEquals(REF.format(t), Timestamps.rfc3339Micros(nanos));
    }

    @Test
    void seedCaptureFirstFrame() {
        assertEquals("2026-12-03T18:23:56.055245Z", Timestamps.rfc3339Micros(1796322236055245890L));
    }
}
