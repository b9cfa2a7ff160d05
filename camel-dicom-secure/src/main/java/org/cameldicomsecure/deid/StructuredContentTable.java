package org.cameldicomsecure.deid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PS3.15 Table E.3.4-1, generated into {@code clean-structured-content.tsv}: the content item Concept Name codes of
 * the Clean Structured Content Option with their Basic Profile and Option actions. Immutable, shared.
 */
final class StructuredContentTable {

    static final String RESOURCE = "clean-structured-content.tsv";

    private static final ProfileOption[] COLUMNS = {ProfileOption.RETAIN_UIDS, ProfileOption.RETAIN_DEVICE_IDENTITY,
        ProfileOption.RETAIN_INSTITUTION_IDENTITY, ProfileOption.RETAIN_PATIENT_CHARACTERISTICS,
        ProfileOption.RETAIN_LONGITUDINAL_FULL_DATES, ProfileOption.RETAIN_LONGITUDINAL_MODIFIED_DATES,
        ProfileOption.CLEAN_DESCRIPTORS};

    /** One row; {@link #asProfileRow()} gives it the shape of a Table E.1-1 row so that it resolves the same way. */
    record Entry(String codeValue, String scheme, String valueType, Action basic, Map<ProfileOption, Action> options,
            String meaning) {

        ProfileTable.Row asProfileRow() {
            return new ProfileTable.Row(0, 0xFFFFFFFF, "", meaning, basic, options);
        }
    }

    private static final class Holder {
        static final StructuredContentTable STANDARD = load();
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byCode = new HashMap<>();

    private StructuredContentTable(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            byCode.put(e.scheme() + "\u0000" + e.codeValue(), e);
        }
    }

    static StructuredContentTable standard() {
        return Holder.STANDARD;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The row for a Concept Name code, or {@code null} if the table does not list it. */
    Entry lookup(String scheme, String codeValue) {
        if (scheme == null || codeValue == null) {
            return null;
        }
        return byCode.get(scheme.trim() + "\u0000" + codeValue.trim());
    }

    private static StructuredContentTable load() {
        List<Entry> out = new ArrayList<>();
        for (String[] f : TsvResource.read(RESOURCE).rows()) {
            Map<ProfileOption, Action> opts = new EnumMap<>(ProfileOption.class);
            for (int i = 0; i < COLUMNS.length; i++) {
                if (!f[4 + i].equals("-")) {
                    opts.put(COLUMNS[i], Action.of(f[4 + i]));
                }
            }
            out.add(new Entry(f[0], f[1], f[2], Action.of(f[3]), Collections.unmodifiableMap(opts), f[11]));
        }
        return new StructuredContentTable(out);
    }
}
