package org.cameldicomsecure.audit.trail;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes one audit record as an RFC 5424 syslog message, as PS3.15 A.6 and A.7 ask:
 *
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [meta sequenceId="N"] BOM MSG
 * </pre>
 *
 * <ul>
 * <li>PRI = facility &times; 8 + severity (RFC 5424 6.2.1); PS3.15 A.6: facility 10 (security/authorization),
 *     severity 5 (notice), so {@code <85>} by default;</li>
 * <li>VERSION 1;</li>
 * <li>TIMESTAMP: the record's time (its EventDateTime) as RFC 3339 with six fractional digits (microseconds,
 *     truncated) and the offset of {@link #zone()} at that instant ({@code Z} for UTC), e.g.
 *     {@code 2024-05-17T09:31:02.123456+02:00} (RFC 5424 6.2.3: upper-case T and Z, at most six fraction digits, no
 *     leap seconds);</li>
 * <li>HOSTNAME (at most 255), APP-NAME (48), PROCID (128), MSGID (32): printable US-ASCII (33..126) only, or the
 *     NILVALUE {@code -} (not for MSGID, which PS3.15 A.6 says shall be set);</li>
 * <li>STRUCTURED-DATA: the {@code meta} element of RFC 5424 7.3.1 with {@code sequenceId} taken from the spool
 *     sequence, so that a receiver can spot re-deliveries and gaps; RFC 5424 keeps it in 1..2147483647 and starts
 *     again at 1 after 2147483647, and so does {@link #sequenceId(long)};</li>
 * <li>MSG: the payload as UTF-8, starting with the byte-order mark EF BB BF (RFC 5424 6.4). A payload that already
 *     starts with a BOM is written as is (no second BOM); one that is not well-formed UTF-8 is refused
 *     ({@link RecordRejectedException}), because RFC 5424 requires valid shortest-form UTF-8 after a BOM.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. The constructor refuses values that RFC 5424 does not allow, naming the field.
 */
public final class Rfc5424 {

    /** PS3.15 A.6: security/authorization messages. */
    public static final int DEFAULT_FACILITY = 10;
    /** PS3.15 A.6: notice. */
    public static final int DEFAULT_SEVERITY = 5;
    public static final String DEFAULT_APP_NAME = "camel-dicom-secure";
    /** PS3.15 A.6: "DICOM+RFC3881" may be used. */
    public static final String DEFAULT_MSG_ID = "DICOM+RFC3881";
    /** RFC 5424 NILVALUE. */
    public static final String NILVALUE = "-";
    /** RFC 5424 7.3.1: sequenceId wraps after this value, back to 1. */
    public static final long MAX_SEQUENCE_ID = 2147483647L;

    static final int MAX_HOSTNAME = 255;
    static final int MAX_APP_NAME = 48;
    static final int MAX_PROCID = 128;
    static final int MAX_MSGID = 32;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private final int facility;
    private final int severity;
    private final String hostname;
    private final String appName;
    private final String procId;
    private final String msgId;
    private final ZoneId zone;
    /** "&lt;PRI&gt;1 ". */
    private final byte[] priVersion;
    /** " HOSTNAME APP-NAME PROCID MSGID [meta sequenceId=\"". */
    private final byte[] middle;

    /**
     * @param facility 0..23
     * @param severity 0..7
     * @param hostname the HOSTNAME field, or {@code null} for {@link #defaultHostname()}
     * @param appName  the APP-NAME field, or {@code null} for {@value #DEFAULT_APP_NAME}
     * @param procId   the PROCID field, or {@code null} for this process's ID
     * @param msgId    the MSGID field, or {@code null} for {@value #DEFAULT_MSG_ID}
     * @param zone     whose offset the TIMESTAMP shows, or {@code null} for the system's default zone
     * @throws IllegalArgumentException naming the field that RFC 5424 does not allow
     */
    public Rfc5424(int facility, int severity, String hostname, String appName, String procId, String msgId,
                   ZoneId zone) {
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility must be 0..23 (RFC 5424 6.2.1), not " + facility);
        }
        if (severity < 0 || severity > 7) {
            throw new IllegalArgumentException("syslog severity must be 0..7 (RFC 5424 6.2.1), not " + severity);
        }
        this.facility = facility;
        this.severity = severity;
        this.hostname = checkField("HOSTNAME", hostname == null ? defaultHostname() : hostname, MAX_HOSTNAME, true);
        this.appName = checkField("APP-NAME", appName == null ? DEFAULT_APP_NAME : appName, MAX_APP_NAME, true);
        this.procId = checkField("PROCID", procId == null ? defaultProcId() : procId, MAX_PROCID, true);
        this.msgId = checkField("MSGID", msgId == null ? DEFAULT_MSG_ID : msgId, MAX_MSGID, false);
        this.zone = zone == null ? ZoneId.systemDefault() : zone;
        this.priVersion = ("<" + (facility * 8 + severity) + ">1 ").getBytes(StandardCharsets.US_ASCII);
        this.middle = (" " + this.hostname + " " + this.appName + " " + this.procId + " " + this.msgId
                + " [meta sequenceId=\"").getBytes(StandardCharsets.US_ASCII);
    }

    /** The defaults of PS3.15 A.6: {@code <85>}, the local host name, this process, {@value #DEFAULT_MSG_ID}. */
    public static Rfc5424 defaults() {
        return new Rfc5424(DEFAULT_FACILITY, DEFAULT_SEVERITY, null, null, null, null, null);
    }

    /**
     * Checks one header field: 1..{@code max} printable US-ASCII characters (33..126), or {@link #NILVALUE} where
     * allowed.
     *
     * @return {@code value}
     * @throws IllegalArgumentException naming the field and the rule broken
     */
    static String checkField(String field, String value, int max, boolean nilAllowed) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("syslog " + field + " must not be empty (RFC 5424 6: use \"-\", the "
                    + "NILVALUE" + (nilAllowed ? "" : ", which is not allowed here either") + ")");
        }
        if (NILVALUE.equals(value) && !nilAllowed) {
            throw new IllegalArgumentException("syslog " + field + " must be set (PS3.15 A.6), not the NILVALUE \"-\"");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException("syslog " + field + " is " + value.length() + " characters long; "
                    + "RFC 5424 6 allows at most " + max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("syslog " + field + " may hold only printable US-ASCII "
                        + "characters (33..126, RFC 5424 6 PRINTUSASCII), but has "
                        + String.format("U+%04X", (int) c) + " at position " + i);
            }
        }
        return value;
    }

    /**
     * RFC 5424 6.2.4: the fully qualified domain name if known, else an IP address, else the host name, else the
     * NILVALUE; anything that is not a valid HOSTNAME becomes the NILVALUE.
     */
    public static String defaultHostname() {
        String h;
        try {
            h = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.io.IOException | SecurityException e) {
            return NILVALUE;
        }
        if (h == null || h.isEmpty() || h.length() > MAX_HOSTNAME) {
            return NILVALUE;
        }
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) < 33 || h.charAt(i) > 126) {
                return NILVALUE;
            }
        }
        return h;
    }

    private static String defaultProcId() {
        return Long.toString(ProcessHandle.current().pid());
    }

    /**
     * The RFC 5424 7.3.1 sequenceId for a spool sequence (1, 2, …): 1..2147483647, starting again at 1 after
     * 2147483647.
     */
    public static long sequenceId(long spoolSequence) {
        if (spoolSequence < 1) {
            throw new IllegalArgumentException("spool sequences start at 1, not " + spoolSequence);
        }
        return (spoolSequence - 1) % MAX_SEQUENCE_ID + 1;
    }

    /**
     * The TIMESTAMP of {@code time} in {@code zone}: RFC 3339 with six fraction digits (truncated to microseconds).
     *
     * @throws DateTimeException for a year outside 0000..9999, which RFC 3339 cannot write
     */
    public static String timestamp(Instant time, ZoneId zone) {
        OffsetDateTime t = OffsetDateTime.ofInstant(time, zone);
        if (t.getOffset().getTotalSeconds() % 60 != 0) {
            // RFC 3339 offsets have no seconds (old local mean times): write the instant in UTC instead
            t = OffsetDateTime.ofInstant(time, java.time.ZoneOffset.UTC);
        }
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new DateTimeException("year " + t.getYear() + " is outside 0000..9999 (RFC 3339 FULL-DATE)");
        }
        return TIMESTAMP.format(t);
    }

    /**
     * Everything before the payload: PRI, VERSION, header fields, STRUCTURED-DATA, the space and (unless the payload
     * has one) the BOM.
     *
     * @throws RecordRejectedException the record's time cannot be written, or its payload is not UTF-8
     */
    public byte[] header(SpooledRecord r) throws RecordRejectedException {
        AuditRecord rec = r.record();
        String ts;
        try {
            ts = timestamp(rec.time(), zone);
        } catch (DateTimeException e) {
            throw new RecordRejectedException(r.sequence(), "audit record " + rec.id() + " (sequence " + r.sequence()
                    + "): its time cannot be a syslog TIMESTAMP: " + e.getMessage(), e);
        }
        checkUtf8(r);
        byte[] tsb = ts.getBytes(StandardCharsets.US_ASCII);
        byte[] seq = Long.toString(sequenceId(r.sequence())).getBytes(StandardCharsets.US_ASCII);
        boolean bom = !hasBom(rec.payload());
        ByteBuffer b = ByteBuffer.allocate(priVersion.length + tsb.length + middle.length + seq.length + 3
                + (bom ? BOM.length : 0));
        b.put(priVersion).put(tsb).put(middle).put(seq).put((byte) '"').put((byte) ']').put((byte) ' ');
        if (bom) {
            b.put(BOM);
        }
        return b.array();
    }

    /**
     * The whole syslog message (without any transport framing).
     *
     * @throws RecordRejectedException see {@link #header}
     */
    public byte[] format(SpooledRecord r) throws RecordRejectedException {
        byte[] h = header(r);
        byte[] p = r.record().payload();
        byte[] m = new byte[h.length + p.length];
        System.arraycopy(h, 0, m, 0, h.length);
        System.arraycopy(p, 0, m, h.length, p.length);
        return m;
    }

    private static boolean hasBom(byte[] p) {
        return p.length >= 3 && p[0] == BOM[0] && p[1] == BOM[1] && p[2] == BOM[2];
    }

    private static void checkUtf8(SpooledRecord r) throws RecordRejectedException {
        byte[] p = r.record().payload();
        boolean ascii = true;
        for (byte x : p) {
            if (x < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p));
        } catch (CharacterCodingException e) {
            // never the content: it may hold patient data
            throw new RecordRejectedException(r.sequence(), "audit record " + r.record().id() + " (sequence "
                    + r.sequence() + "): its payload is not well-formed UTF-8, which RFC 5424 6.4 requires after "
                    + "the BOM", e);
        }
    }

    public int facility() {
        return facility;
    }

    public int severity() {
        return severity;
    }

    /** facility &times; 8 + severity. */
    public int pri() {
        return facility * 8 + severity;
    }

    public String hostname() {
        return hostname;
    }

    public String appName() {
        return appName;
    }

    public String procId() {
        return procId;
    }

    public String msgId() {
        return msgId;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return "RFC 5424 <" + pri() + "> " + hostname + " " + appName + " " + procId + " " + msgId + " (" + zone + ")";
    }
}
