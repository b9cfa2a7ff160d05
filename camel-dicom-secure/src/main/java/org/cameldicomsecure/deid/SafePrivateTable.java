package org.cameldicomsecure.deid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PS3.15 Table E.3.10-1 "Safe Private Attributes", generated into {@code safe-private-attributes.tsv}: private
 * elements known to be safe, by private creator, group and element offset (the low byte of the element). Immutable.
 */
final class SafePrivateTable {

    static final String RESOURCE = "safe-private-attributes.tsv";

    /** One row: group (odd), element offset 00-FF, creator as the table spells it, VR as listed ("-" if none). */
    record Entry(int group, int offset, String creator, String vr) {
    }

    private static final class Holder {
        static final SafePrivateTable STANDARD = load();
    }

    private final List<Entry> entries;
    private final Set<String> keys = new HashSet<>();

    private SafePrivateTable(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            keys.add(key(e.creator(), e.group(), e.offset()));
        }
    }

    static SafePrivateTable standard() {
        return Holder.STANDARD;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Whether element {@code offset} of {@code creator}'s block in {@code group} is listed as safe. */
    boolean isSafe(String creator, int group, int offset) {
        return creator != null && keys.contains(key(creator.trim(), group, offset));
    }

    private static String key(String creator, int group, int offset) {
        return group + "/" + offset + "/" + creator;
    }

    private static SafePrivateTable load() {
        List<Entry> out = new ArrayList<>();
        for (String[] f : TsvResource.read(RESOURCE).rows()) {
            out.add(new Entry(Integer.parseInt(f[0], 16), Integer.parseInt(f[1], 16), f[2].trim(), f[3]));
        }
        return new SafePrivateTable(out);
    }
}
