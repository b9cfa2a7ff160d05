package org.cameldicomsecure.deid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PS3.15 Table E.1-1 as generated into {@code confidentiality-profile.tsv} by tools/generate-deid-tables.py: the
 * action of the Basic Profile and of each Option for every attribute the table lists. Immutable, shared.
 */
final class ProfileTable {

    static final String RESOURCE = "confidentiality-profile.tsv";

    /**
     * One row of Table E.1-1.
     *
     * @param tag     the tag, wildcard bits 0
     * @param mask    bits of a tag that must equal {@code tag}
     * @param keyword PS3.6 keyword, empty for patterns
     * @param name    the attribute name as the table gives it
     * @param basic   Basic Profile action
     * @param options the actions of the Options that change it
     */
    record Row(int tag, int mask, String keyword, String name, Action basic, Map<ProfileOption, Action> options) {

        boolean matches(int t) {
            return (t & mask) == tag;
        }

        boolean isPattern() {
            return mask != 0xFFFFFFFF;
        }

        /**
         * The action for this row with the given Options on: an Option's action overrides the Basic Profile's
         * (E.3); if several enabled Options give one, K (retain) wins over C (clean).
         */
        Resolved resolve(Set<ProfileOption> enabled) {
            ProfileOption cleanBy = null;
            for (Map.Entry<ProfileOption, Action> e : options.entrySet()) {
                if (!enabled.contains(e.getKey())) {
                    continue;
                }
                if (e.getValue() == Action.K) {
                    return new Resolved(Action.K, e.getKey());
                }
                if (cleanBy == null) {
                    cleanBy = e.getKey();
                }
            }
            return cleanBy != null ? new Resolved(options.get(cleanBy), cleanBy)
                    : new Resolved(basic, ProfileOption.BASIC);
        }
    }

    /** An action and the profile or Option it comes from. */
    record Resolved(Action action, ProfileOption by) {
    }

    private static final class Holder {
        static final ProfileTable STANDARD = load();
    }

    private final List<Row> rows;
    private final Map<Integer, Row> exact;
    private final List<Row> patterns;

    private ProfileTable(List<Row> rows) {
        this.rows = Collections.unmodifiableList(rows);
        Map<Integer, Row> ex = new HashMap<>();
        List<Row> pat = new ArrayList<>();
        for (Row r : rows) {
            if (r.isPattern()) {
                pat.add(r);
            } else if (ex.put(r.tag(), r) != null) {
                throw new IllegalStateException("duplicate row " + r.name());
            }
        }
        pat.sort(Comparator.comparingInt((Row r) -> -Integer.bitCount(r.mask())));
        exact = ex;
        patterns = List.copyOf(pat);
    }

    static ProfileTable standard() {
        return Holder.STANDARD;
    }

    /** All rows, in the order of the resource. */
    List<Row> rows() {
        return rows;
    }

    /** The row for {@code tag}: exact, else the most specific matching pattern; {@code null} if the table has none. */
    Row lookup(int tag) {
        Row r = exact.get(tag);
        if (r != null) {
            return r;
        }
        for (Row p : patterns) {
            if (p.matches(tag)) {
                return p;
            }
        }
        return null;
    }

    private static ProfileTable load() {
        TsvResource.Rows tsv = TsvResource.read(RESOURCE);
        List<Row> rows = new ArrayList<>();
        for (String[] f : tsv.rows()) {
            rows.add(parse(tsv.header(), f));
        }
        return new ProfileTable(rows);
    }

    private static Row parse(String[] header, String[] f) {
        if (f.length != header.length) {
            throw new IllegalStateException(RESOURCE + ": row has " + f.length + " fields: " + String.join("|", f));
        }
        Map<ProfileOption, Action> opts = new EnumMap<>(ProfileOption.class);
        for (ProfileOption o : ProfileOption.values()) {
            if (o.column() == null || o == ProfileOption.BASIC) {
                continue;
            }
            int i = indexOf(header, o.column());
            if (!f[i].equals("-")) {
                opts.put(o, Action.of(f[i]));
            }
        }
        return new Row((int) Long.parseLong(f[0], 16), (int) Long.parseLong(f[1], 16),
                f[2].equals("-") ? "" : f[2], f[3], Action.of(f[indexOf(header, "basicProfile")]),
                Collections.unmodifiableMap(opts));
    }

    private static int indexOf(String[] header, String column) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(column)) {
                return i;
            }
        }
        throw new IllegalStateException(RESOURCE + " has no column " + column);
    }
}
