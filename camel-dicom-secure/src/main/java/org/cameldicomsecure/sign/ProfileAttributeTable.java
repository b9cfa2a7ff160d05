package org.cameldicomsecure.sign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The attributes each DICOM Digital Signature Profile requires in a signature, when they are present at the level
 * signed: PS3.15 C.2 Creator RSA ({@code CREATOR}), C.3 Authorization RSA ({@code AUTHORIZATION}) and C.4 Structured
 * Report RSA ({@code SR}; {@code SR_VERIFIED} holds the four attributes C.4 adds when Verification Flag is
 * VERIFIED, so an SR verification signature needs both).
 *
 * <p>Loaded once from the generated resource {@code signature-profiles.tsv} next to this class (see
 * tools/README-signature-profiles.md): the attributes PS3.15 names, and the top-level attributes of every PS3.3
 * module it names, with "Include" macros expanded. Attributes inside sequences are covered by the sequence, so only
 * top-level tags appear. Tags PS3.3 C.12.1.1.3.1.1 forbids in Data Elements Signed never appear. C.3's "any
 * Attributes whose Values are verifiable by the technician or physician" names no table and is not in here: the
 * application must add those itself.
 *
 * <p>The repeating groups of the retired Curve Module (50xx) and of the Overlay Plane Module (60xx) stand for the
 * even groups 5000-501E and 6000-601E (PS3.5 §7.6). Instances are immutable and safe to share between threads.
 */
public final class ProfileAttributeTable {

    /** Name of the resource, next to this class. */
    static final String RESOURCE = "signature-profiles.tsv";

    /** Source of the attributes PS3.15 names one by one rather than by module. */
    public static final String FIXED = "fixed";

    private static final String HEADER = "profile\ttag\tkeyword\tsource";
    private static final int CURVE_GROUP = 0x5000;
    private static final int OVERLAY_GROUP = 0x6000;
    private static final int LAST_REPEATING_OFFSET = 0x1E;

    private final Map<String, Profile> profiles;

    /** One profile's rows: concrete tags, and repeating-group rows keyed by base group 5000/6000 and element. */
    private static final class Profile {
        final Map<Integer, String> exact = new HashMap<>();
        final Map<Integer, String> repeating = new HashMap<>();
        List<Integer> sorted;
    }

    private static final class Holder {
        static final ProfileAttributeTable STANDARD = loadStandard();
    }

    private ProfileAttributeTable(Map<String, Profile> profiles) {
        this.profiles = profiles;
    }

    /** The table generated from the standard, loaded from the resource on first use. */
    public static ProfileAttributeTable standard() {
        return Holder.STANDARD;
    }

    /** The profile names, in the order of the resource ({@code CREATOR, AUTHORIZATION, SR, SR_VERIFIED}). */
    public Set<String> profiles() {
        return profiles.keySet();
    }

    /**
     * Whether the profile requires the attribute with this tag to be signed when it is present.
     *
     * @param profile a name from {@link #profiles()}
     * @param tag the tag as {@code (group << 16) | element}
     * @throws IllegalArgumentException if the profile is unknown
     */
    public boolean requires(String profile, int tag) {
        return source(profile, tag) != null;
    }

    /**
     * The concrete tags the profile requires, ascending (unsigned). The repeating-group rows (50xx,eeee) and
     * (60xx,eeee) are not expanded here; {@link #requires(String, int)} matches them.
     *
     * @throws IllegalArgumentException if the profile is unknown
     */
    public List<Integer> requiredTags(String profile) {
        return profile(profile).sorted;
    }

    /**
     * Why the profile requires the tag: the PS3.3 module that lists it (for example {@code "Image Pixel Module"}),
     * or {@link #FIXED} for the attributes PS3.15 names one by one.
     *
     * @return the source, or {@code null} if the profile does not require the tag
     * @throws IllegalArgumentException if the profile is unknown
     */
    public String source(String profile, int tag) {
        Profile p = profile(profile);
        String s = p.exact.get(tag);
        if (s != null) {
            return s;
        }
        int group = tag >>> 16;
        int base = group & 0xFF00;
        if ((base == CURVE_GROUP || base == OVERLAY_GROUP) && (group & 1) == 0
                && group - base <= LAST_REPEATING_OFFSET) {
            return p.repeating.get((base << 16) | (tag & 0xFFFF));
        }
        return null;
    }

    private Profile profile(String name) {
        Profile p = name == null ? null : profiles.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown digital signature profile '" + name + "' (known: "
                    + String.join(", ", profiles.keySet()) + ")");
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ProfileAttributeTable[");
        profiles.forEach((n, p) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ", ").append(n).append('=')
                .append(p.exact.size() + p.repeating.size()));
        return b.append(']').toString();
    }

    private static ProfileAttributeTable loadStandard() {
        try (InputStream in = ProfileAttributeTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " not found next to "
                        + ProfileAttributeTable.class.getName());
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses the TSV: '#' comment lines, the header {@code profile tag keyword source}, then one row per
     * (profile, tag); tag is 8 upper-case hex digits, or {@code 50xxeeee} / {@code 60xxeeee}.
     *
     * @throws IllegalStateException naming the line, if the text does not have that shape
     */
    static ProfileAttributeTable parse(Reader reader, String name) throws IOException {
        Map<String, Profile> map = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(reader);
        boolean header = false;
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null;) {
            lineNo++;
            if (line.startsWith("#") || (!header && line.isEmpty())) {
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw bad(name, lineNo, "expected the header '" + HEADER.replace('\t', ' ') + "'");
                }
                header = true;
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != 4 || cols[0].isEmpty() || cols[3].isEmpty()) {
                throw bad(name, lineNo, "expected 4 non-empty TAB-separated columns");
            }
            Profile p = map.computeIfAbsent(cols[0], k -> new Profile());
            String t = cols[1];
            boolean fresh;
            if (t.matches("[56]0xx[0-9A-F]{4}")) {
                int key = (Integer.parseInt(t.substring(0, 2), 16) << 24) | Integer.parseInt(t.substring(4), 16);
                fresh = p.repeating.putIfAbsent(key, cols[3]) == null;
            } else if (t.matches("[0-9A-F]{8}")) {
                fresh = p.exact.putIfAbsent(Integer.parseUnsignedInt(t, 16), cols[3]) == null;
            } else {
                throw bad(name, lineNo, "tag '" + t + "' is not ggggeeee (upper-case hex) nor 50xxeeee/60xxeeee");
            }
            if (!fresh) {
                throw bad(name, lineNo, "duplicate tag " + t + " in profile " + cols[0]);
            }
        }
        if (!header || map.isEmpty()) {
            throw new IllegalStateException(name + ": no rows");
        }
        for (Profile p : map.values()) {
            List<Integer> tags = new ArrayList<>(p.exact.keySet());
            tags.sort(Integer::compareUnsigned);
            p.sorted = Collections.unmodifiableList(tags);
        }
        return new ProfileAttributeTable(Collections.unmodifiableMap(map));
    }

    private static IllegalStateException bad(String name, int line, String what) {
        return new IllegalStateException(String.format(Locale.ROOT, "%s line %d: %s", name, line, what));
    }
}
