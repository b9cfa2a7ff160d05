package org.cameldicomsecure.deid;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retain Longitudinal Temporal Information with Modified Dates (PS3.15 E.3.6): every date of one patient moves back by
 * the same whole number of days, so intervals between dates and times stay as they were.
 *
 * <p>The shift is 1 + (u mod 3650) days, u the unsigned value of the first 8 bytes of HMAC-SHA256(secret,
 * "date-shift" 0x00 Patient ID 0x00 Issuer of Patient ID). Times (TM) are unchanged, as whole days do not move them;
 * date-times (DT) keep their time and their UTC offset, and their precision (a DT of year or month precision is
 * shifted from the first day of that year or month and cut back to its precision). A value that is not a valid
 * date is not kept: {@link #shiftDate} and {@link #shiftDateTime} return {@code null}.
 */
final class DateShifter {

    static final int MAX_DAYS = 3650;

    private static final Pattern DA = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern DT = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?((?:\\d{2}(?:\\d{2}(?:\\d{2}(?:\\.\\d{1,6})?)?)?)?)([+-]\\d{4})?");

    private final long days;

    DateShifter(long days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("shift must be 1-" + MAX_DAYS + " days");
        }
        this.days = days;
    }

    /** The shift for one patient. */
    static DateShifter forPatient(Keyed keyed, String patientId, String issuer) {
        byte[] h = keyed.digest("date-shift", patientId, issuer);
        long u = 0;
        for (int i = 0; i < 8; i++) {
            u = (u << 8) | (h[i] & 0xFF);
        }
        return new DateShifter(1 + Long.remainderUnsigned(u, MAX_DAYS));
    }

    /** Number of days dates move back. */
    long days() {
        return days;
    }

    /** A DA value (YYYYMMDD, or a range A-B as in queries) moved back; {@code null} if not a valid date. */
    String shiftDate(String value) {
        String v = value.trim();
        int dash = v.indexOf('-');
        if (dash >= 0) {
            String a = v.substring(0, dash);
            String b = v.substring(dash + 1);
            String sa = a.isEmpty() ? "" : shiftDate(a);
            String sb = b.isEmpty() ? "" : shiftDate(b);
            return sa == null || sb == null ? null : sa + "-" + sb;
        }
        Matcher m = DA.matcher(v);
        if (!m.matches()) {
            return null;
        }
        LocalDate d = date(m.group(1), m.group(2), m.group(3));
        return d == null ? null : format(d.minusDays(days), 8);
    }

    /** A DT value moved back, keeping its precision, time and UTC offset; {@code null} if not a valid date-time. */
    String shiftDateTime(String value) {
        Matcher m = DT.matcher(value.trim());
        if (!m.matches() || (m.group(2) == null && m.group(3) != null)
                || (m.group(3) == null && !m.group(4).isEmpty())) {
            return null;
        }
        int precision = m.group(3) != null ? 8 : m.group(2) != null ? 6 : 4;
        LocalDate d = date(m.group(1), m.group(2) == null ? "01" : m.group(2), m.group(3) == null ? "01" : m.group(3));
        if (d == null || !validTime(m.group(4))) {
            return null;
        }
        String shifted = format(d.minusDays(days), precision);
        return shifted == null ? null : shifted + m.group(4) + (m.group(5) == null ? "" : m.group(5));
    }

    private static boolean validTime(String t) {
        if (t.length() >= 2 && Integer.parseInt(t.substring(0, 2)) > 23) {
            return false;
        }
        if (t.length() >= 4 && Integer.parseInt(t.substring(2, 4)) > 59) {
            return false;
        }
        return t.length() < 6 || Integer.parseInt(t.substring(4, 6)) <= 60;
    }

    private static LocalDate date(String y, String m, String d) {
        try {
            return LocalDate.of(Integer.parseInt(y), Integer.parseInt(m), Integer.parseInt(d));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String format(LocalDate d, int precision) {
        if (d.getYear() < 1 || d.getYear() > 9999) {
            return null;
        }
        String s = String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        return s.substring(0, precision);
    }
}
