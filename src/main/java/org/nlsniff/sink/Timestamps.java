package org.nlsniff.sink;

/** RFC 3339 UTC timestamps with microseconds, without java.time allocation churn. */
public final class Timestamps {
    private Timestamps() {}

    /** {@code 2026-12-03T18:23:56.055428Z} for nanoseconds since the epoch. */
    public static String rfc3339Micros(long epochNanos) {
        long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
        long micros = Math.floorMod(epochNanos, 1_000_000_000L) / 1000;
        long days = Math.floorDiv(secs, 86400);
        long sod = Math.floorMod(secs, 86400);
        // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        StringBuilder sb = new StringBuilder(27);
        pad(sb, y, 4).append('-');
        pad(sb, m, 2).append('-');
        pad(sb, d, 2).append('T');
        pad(sb, sod / 3600, 2).append(':');
        pad(sb, sod / 60 % 60, 2).append(':');
        pad(sb, sod % 60, 2).append('.');
        pad(sb, micros, 6).append('Z');
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
