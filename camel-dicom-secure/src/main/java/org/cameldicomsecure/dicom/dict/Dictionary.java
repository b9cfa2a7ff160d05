package org.cameldicomsecure.dicom.dict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * The DICOM data dictionary: PS3.6 data elements and File Meta Elements, and the PS3.7 Annex E command elements,
 * loaded from the generated resource {@code dictionary.tsv} (see tools/README-dictionary.md).
 *
 * <p>Look-up by tag is what the parser does for every element, so it is an open-addressing {@code int} hash for the
 * single tags, then a short scan of the wildcard patterns (repeating groups (50xx,eeee) and (60xx,eeee), (0028,04x0),
 * (1000,xxx0), (1010,xxxx) and so on). Instances are immutable and safe to share between threads.
 *
 * <p>Beyond the registry, {@link #entry(int)} knows two implicit kinds of element:
 * <ul>
 * <li>Group Length (gggg,0000) of any group: UL, VM 1, keyword {@code GenericGroupLength} (PS3.5 §7.2, which
 * also retires them outside groups 0000 and 0002; those two have their own registry entries);</li>
 * <li>Private Creator (gggg,0010-00FF) of a private group: LO, VM 1, keyword {@code PrivateCreator}
 * (PS3.5 §7.8.1).</li>
 * </ul>
 * Every other element of an odd group is unknown ({@code null}): its meaning depends on its private creator.
 */
public final class Dictionary {

    /** Name of the resource, next to this class. */
    static final String RESOURCE = "dictionary.tsv";

    /** Keyword of the implicit Group Length entry. */
    public static final String GENERIC_GROUP_LENGTH = "GenericGroupLength";

    /** Keyword of the implicit Private Creator entry. */
    public static final String PRIVATE_CREATOR = "PrivateCreator";

    private static final List<VR> UL = List.of(VR.UL);
    private static final List<VR> LO = List.of(VR.LO);
    private static final int MAX_TEXT_IN_MESSAGE = 64;

    private final int[] keys;
    private final DictionaryEntry[] values;
    private final VR[] firstVrs; // values[i].vr(), kept apart so that vrOf touches two flat arrays only
    private final int shift;
    private final DictionaryEntry[] patterns;
    private final Map<String, DictionaryEntry> byKeyword;
    private final List<DictionaryEntry> entries;

    private static final class Holder {
        static final Dictionary STANDARD = loadStandard();
    }

    private Dictionary(List<DictionaryEntry> list) {
        int exact = 0;
        List<DictionaryEntry> wild = new ArrayList<>();
        for (DictionaryEntry e : list) {
            if (e.isPattern()) {
                wild.add(e);
            } else {
                exact++;
            }
        }
        int capacity = Integer.highestOneBit(Math.max(exact, 1) * 2 - 1) << 1; // power of two, load <= 0.5
        keys = new int[capacity];
        values = new DictionaryEntry[capacity];
        firstVrs = new VR[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
        Map<String, DictionaryEntry> kw = new HashMap<>(list.size() * 2);
        for (DictionaryEntry e : list) {
            if (!e.isPattern() && !put(e)) {
                throw new IllegalStateException("duplicate tag in dictionary: " + e);
            }
            if (!e.keyword().isEmpty() && kw.putIfAbsent(e.keyword(), e) != null) {
                throw new IllegalStateException("duplicate keyword in dictionary: " + e.keyword());
            }
        }
        // the most specific pattern first, so that overlapping patterns resolve the same way every time
        wild.sort(Comparator.comparingInt((DictionaryEntry e) -> -Integer.bitCount(e.mask()))
                .thenComparingInt(DictionaryEntry::tag));
        patterns = wild.toArray(new DictionaryEntry[0]);
        byKeyword = kw;
        entries = Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** The standard dictionary, loaded from the resource on first use. */
    public static Dictionary standard() {
        return Holder.STANDARD;
    }

    /**
     * The entry for a tag.
     *
     * @return the registry entry (exact, else the first matching pattern); an implicit Group Length or Private
     *         Creator entry; or {@code null} if the tag is unknown, which includes every private data element
     */
    public DictionaryEntry entry(int tag) {
        DictionaryEntry e = exact(tag);
        if (e != null) {
            return e;
        }
        if ((tag & 0xFFFF) == 0) {
            return new DictionaryEntry(tag, 0xFFFFFFFF, GENERIC_GROUP_LENGTH, "Generic Group Length", UL, "1",
                    true);
        }
        if ((tag & 0x00010000) != 0) { // odd group: no standard element lives there
            return Tag.isPrivateCreator(tag)
                    ? new DictionaryEntry(tag, 0xFFFFFFFF, PRIVATE_CREATOR, "Private Creator", LO, "1", false)
                    : null;
        }
        return pattern(tag);
    }

    /** The first VR of the tag's {@link #entry(int) entry}, or {@link VR#UN} when the tag is unknown. */
    public VR vrOf(int tag) {
        int i = slotOf(tag);
        if (i >= 0) {
            return firstVrs[i];
        }
        if ((tag & 0xFFFF) == 0) {
            return VR.UL;
        }
        if ((tag & 0x00010000) != 0) {
            return Tag.isPrivateCreator(tag) ? VR.LO : VR.UN;
        }
        DictionaryEntry e = pattern(tag);
        return e != null ? e.vr() : VR.UN;
    }

    /**
     * The entry with this keyword (case-sensitive, as PS3.6 spells it).
     *
     * @return the entry, or {@code null} if no registry entry has the keyword
     */
    public DictionaryEntry entry(String keyword) {
        return keyword == null ? null : byKeyword.get(keyword);
    }

    /**
     * Parses a tag written as a keyword ({@code "PatientName"}), as 8 hexadecimal digits ({@code "00100010"}) or in
     * the standard's notation ({@code "(0010,0010)"}). Hexadecimal digits may be upper or lower case. A keyword of a
     * wildcard entry gives its {@link DictionaryEntry#tag() base tag}, every {@code x} 0, like the {@code Tag}
     * constant ({@code "OverlayData"} gives 0x60003000). For six retired patterns that value is another element:
     * (0028,04x0-04x3) give (0028,0400-0403), and (1000,xxx0) and (1010,xxxx) give a Group Length.
     *
     * @throws IllegalArgumentException naming the text if it is none of these
     */
    public int parseTag(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a DICOM tag or keyword: null");
        }
        int n = text.length();
        if (n == 8) {
            long v = hex(text, 0, 8);
            if (v >= 0) {
                return (int) v;
            }
        } else if (n == 11 && text.charAt(0) == '(' && text.charAt(5) == ',' && text.charAt(10) == ')') {
            long g = hex(text, 1, 5);
            long el = hex(text, 6, 10);
            if (g >= 0 && el >= 0) {
                return (int) (g << 16 | el);
            }
        }
        DictionaryEntry e = byKeyword.get(text);
        if (e != null) {
            return e.tag();
        }
        throw new IllegalArgumentException("not a DICOM tag or keyword: \"" + shorten(text) + "\"");
    }

    /** Every registry entry, in the order of the resource (by tag). Implicit entries are not included. */
    public List<DictionaryEntry> entries() {
        return entries;
    }

    /** Number of registry entries. */
    public int size() {
        return entries.size();
    }

    // ---------------------------------------------------------------------------------------------------------

    private int slot(int tag) {
        return (tag * 0x9E3779B9) >>> shift;
    }

    private DictionaryEntry exact(int tag) {
        int i = slotOf(tag);
        return i >= 0 ? values[i] : null;
    }

    /** The slot holding {@code tag}, or -1. */
    private int slotOf(int tag) {
        int mask = keys.length - 1;
        for (int i = slot(tag);; i = (i + 1) & mask) {
            if (values[i] == null) {
                return -1;
            }
            if (keys[i] == tag) {
                return i;
            }
        }
    }

    private boolean put(DictionaryEntry e) {
        int mask = keys.length - 1;
        for (int i = slot(e.tag());; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = e.tag();
                values[i] = e;
                firstVrs[i] = e.vr();
                return true;
            }
            if (keys[i] == e.tag()) {
                return false;
            }
        }
    }

    private DictionaryEntry pattern(int tag) {
        for (DictionaryEntry p : patterns) {
            if ((tag & p.mask()) == p.tag()) {
                return p;
            }
        }
        return null;
    }

    /** Value of text[from, to) as hexadecimal, or -1 if a character is not an ASCII hex digit. */
    private static long hex(String text, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT_IN_MESSAGE ? text : text.substring(0, MAX_TEXT_IN_MESSAGE) + "...";
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Dictionary loadStandard() {
        try (InputStream in = Dictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + Dictionary.class);
            }
            return new Dictionary(parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses the lines of a dictionary resource (format in tools/README-dictionary.md). Strict: the resource is
     * generated, so any deviation is a build error and fails loudly.
     */
    static List<DictionaryEntry> parse(BufferedReader reader) throws IOException {
        List<DictionaryEntry> list = new ArrayList<>(5300);
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            try {
                list.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return list;
    }

    static DictionaryEntry parseLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("expected 6 TAB-separated fields, found " + f.length);
        }
        String p = f[0];
        if (p.length() != 8) {
            throw new IllegalArgumentException("bad tag pattern " + p);
        }
        int tag = 0;
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            char c = p.charAt(i);
            tag <<= 4;
            mask <<= 4;
            if (c == 'x') {
                continue;
            }
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw new IllegalArgumentException("bad tag pattern " + p);
            }
            tag |= d;
            mask |= 0xF;
        }
        if (p.startsWith("50xx") || p.startsWith("60xx")) {
            // PS3.5 §7.6: repeating groups are only the even groups 5000-501E and 6000-601E
            mask = (mask & 0x0000FFFF) | 0xFFE10000;
        }
        List<VR> vrs;
        if (f[1].equals("-")) {
            vrs = List.of();
        } else {
            String[] names = f[1].split("\\|", -1);
            VR[] a = new VR[names.length];
            for (int i = 0; i < names.length; i++) {
                a[i] = VR.valueOf(names[i]);
            }
            vrs = Arrays.asList(a);
        }
        String vm = f[2].equals("-") ? "" : f[2];
        boolean retired;
        if (f[3].equals("Y")) {
            retired = true;
        } else if (f[3].equals("N")) {
            retired = false;
        } else {
            throw new IllegalArgumentException("retired must be Y or N, not " + f[3]);
        }
        return new DictionaryEntry(tag, mask, f[4], f[5], vrs, vm, retired);
    }
}
