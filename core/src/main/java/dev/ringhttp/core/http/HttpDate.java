package dev.ringhttp.core.http;

import java.nio.ByteBuffer;

/**
 * The IMF-fixdate for the {@code Date} header ({@code Sun, 06 Nov 1994 08:49:37 GMT}),
 * formatted by hand into a fixed array at most once a second, so responses
 * carry it without allocating.
 */
public final class HttpDate {

    /** Length of an IMF-fixdate. */
    public static final int LENGTH = 29;

    private static final byte[] DAYS = "ThuFriSatSunMonTueWed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long SECONDS_PER_DAY = 86_400;

    private final byte[] text = new byte[LENGTH];
    private long formattedSecond = Long.MIN_VALUE;

    /** Brings the text up to date with {@code epochMillis}; formats only when the second changed. */
    public void refresh(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != formattedSecond) {
            formattedSecond = second;
            format(second);
        }
    }

    /** Copies the 29 bytes into {@code dst} at {@code index}. */
    public void writeTo(ByteBuffer dst, int index) {
        dst.put(index, text, 0, LENGTH);
    }

    /** The current text, for tests and logs (allocates). */
    @Override
    public String toString() {
        return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // 1970-01-01 was a Thursday, the first entry of DAYS.
        int weekday = (int) Math.floorMod(days, 7);
        copy(DAYS, weekday * 3, 0);
        text[3] = ',';
        text[4] = ' ';

        // Civil date from days since the epoch, in 400-year eras of 146097 days
        // counted from 0000-03-01 so that leap days fall at the end of a year.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        two(day, 5);
        text[7] = ' ';
        copy(MONTHS, (month - 1) * 3, 8);
        text[11] = ' ';
        two((int) (year / 100), 12);
        two((int) (year % 100), 14);
        text[16] = ' ';
        two(secondOfDay / 3600, 17);
        text[19] = ':';
        two(secondOfDay / 60 % 60, 20);
        text[22] = ':';
        two(secondOfDay % 60, 23);
        text[25] = ' ';
        text[26] = 'G';
        text[27] = 'M';
        text[28] = 'T';
    }

    private void copy(byte[] src, int from, int to) {
        System.arraycopy(src, from, text, to, 3);
    }

    private void two(int value, int at) {
        text[at] = (byte) ('0' + value / 10);
        text[at + 1] = (byte) ('0' + value % 10);
    }
}
