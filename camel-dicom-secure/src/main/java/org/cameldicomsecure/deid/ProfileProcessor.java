package org.cameldicomsecure.deid;

import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * Applies Table E.1-1 to a data set, recursively into sequences (the actions apply "to sequences and everything inside
 * them", E.1-1a), with the Options' overrides, and the Clean Structured Content rules of Table E.3.4-1 inside the
 * sequences that Option cleans. One instance per de-identified instance; see src/main/docs/deid-rules.md.
 */
final class ProfileProcessor {

    /**
     * How the data sets below a cleaned or replaced sequence are treated, besides Table E.1-1.
     *
     * @param cleanFreeText free text the table does not list is cleaned ({@link TextCleaner}): inside sequences
     *                      cleaned by Clean Graphics or Clean Descriptors
     * @param structured    items with a Concept Name Code Sequence are content items checked against Table E.3.4-1
     * @param dropUnlisted  attributes the table does not list are removed: the item that stands in for a sequence
     *                      replaced by action D
     */
    record Mode(boolean cleanFreeText, boolean structured, boolean dropUnlisted) {
        static final Mode NORMAL = new Mode(false, false, false);

        Mode withCleanFreeText() {
            return new Mode(true, structured, dropUnlisted);
        }

        Mode withStructured() {
            return new Mode(cleanFreeText, true, dropUnlisted);
        }

        Mode withDropUnlisted() {
            return new Mode(cleanFreeText, structured, true);
        }
    }

    private static final Set<VR> FREE_TEXT = Set.of(VR.LO, VR.SH, VR.ST, VR.LT, VR.UT, VR.UC);

    private final ProfileTable table;
    private final StructuredContentTable structuredTable;
    private final PrivateAttributeFilter privateFilter;
    private final Set<ProfileOption> enabled;
    private final Keyed keyed;
    private final UidMapper uids;
    private final DateShifter shifter;
    private final String sopClassUid;

    ProfileProcessor(ProfileTable table, StructuredContentTable structuredTable, PrivateAttributeFilter privateFilter,
            Set<ProfileOption> enabled, Keyed keyed, UidMapper uids, DateShifter shifter, String sopClassUid) {
        this.table = table;
        this.structuredTable = structuredTable;
        this.privateFilter = privateFilter;
        this.enabled = enabled;
        this.keyed = keyed;
        this.uids = uids;
        this.shifter = shifter;
        this.sopClassUid = sopClassUid;
    }

    /** De-identifies the top-level data set in place. */
    void processTopLevel(Dataset ds) throws DeidentificationException {
        process(ds, true, Mode.NORMAL, -1);
    }

    /**
     * De-identifies one data set in place. {@code skipTag} is an element already decided by Table E.3.4-1 (the value
     * of a content item), or -1.
     */
    private void process(Dataset ds, boolean topLevel, Mode mode, int skipTag) throws DeidentificationException {
        Set<Integer> overlayGroups = new TreeSet<>();
        for (int tag : ds.tags()) {
            if (!ds.contains(tag) || tag == skipTag || Tag.isPrivate(tag)) {
                continue;
            }
            if (Tag.isGroupLength(tag)) {
                ds.remove(tag); // retired outside group 0002 (PS3.5 §7.2); would be stale after changes
                continue;
            }
            VR vr = ds.vrOf(tag);
            ProfileTable.Row row = table.lookup(tag);
            if (row == null) {
                unlisted(ds, tag, vr, mode);
                continue;
            }
            ProfileTable.Resolved r = row.resolve(enabled);
            Action a = r.action();
            if (a.isCombined()) {
                a = IodRequirements.resolveCombined(a, sopClassUid, tag, topLevel);
            }
            if (a == Action.X && (tag & 0xFF01FFFF) == Tag.OverlayData) {
                overlayGroups.add(tag >>> 16);
            }
            apply(ds, tag, vr, a, r.by(), mode);
        }
        // Overlay Data removed: the rest of its Overlay Plane would describe a bitmap that is not there
        for (int group : overlayGroups) {
            for (int t : ds.tags()) {
                if (t >>> 16 == group) {
                    ds.remove(t);
                }
            }
        }
        for (int tag : privateFilter.apply(ds)) {
            processItems(ds.getSequence(tag), mode);
        }
    }

    private void unlisted(Dataset ds, int tag, VR vr, Mode mode) throws DeidentificationException {
        if (mode.dropUnlisted()) {
            ds.remove(tag);
        } else if (vr == VR.SQ) {
            processItems(ds.getSequence(tag), mode);
        } else if (mode.cleanFreeText() && FREE_TEXT.contains(vr) && ds.value(tag) instanceof byte[]) {
            cleanText(ds, tag, vr);
        }
    }

    private void apply(Dataset ds, int tag, VR vr, Action a, ProfileOption by, Mode mode)
            throws DeidentificationException {
        switch (a) {
            case X -> ds.remove(tag);
            case Z -> empty(ds, tag, vr);
            case D -> dummy(ds, tag, vr, mode);
            case K -> {
                if (vr == VR.SQ) {
                    processItems(ds.getSequence(tag), mode);
                }
            }
            case U -> {
                if (vr == VR.UI) {
                    replaceUids(ds, tag);
                } else if (vr == VR.SQ) {
                    processItems(ds.getSequence(tag), mode);
                } else {
                    ds.remove(tag); // a UID attribute with another VR (UN): cannot be remapped, so not kept
                }
            }
            case C -> clean(ds, tag, vr, by, mode);
            default -> throw new IllegalStateException("unresolved combined action " + a.code());
        }
    }

    private void empty(Dataset ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            Sequence old = ds.getSequence(tag);
            Sequence s = ds.newSequence(tag);
            if (old != null) {
                s.setUndefinedLength(old.undefinedLength());
            }
        } else {
            ds.setBytes(tag, vr, new byte[0]);
        }
    }

    private void dummy(Dataset ds, int tag, VR vr, Mode mode) throws DeidentificationException {
        if (vr == VR.SQ) {
            dummySequence(ds, tag, mode);
        } else if (vr == VR.UI) {
            String[] old = ds.value(tag) instanceof byte[] ? ds.getStrings(tag) : new String[0];
            if (old.length == 0) {
                ds.setString(tag, VR.UI, uids.map("dummy:" + Tag.toString(tag)));
            } else {
                replaceUids(ds, tag);
            }
        } else {
            String text = DummyValues.text(vr);
            if (text != null) {
                ds.setString(tag, vr, text);
            } else {
                ds.setBytes(tag, vr, DummyValues.binary(vr));
            }
        }
    }

    /**
     * D on a sequence: one item stands in for the items. It is the first original item, de-identified with the
     * table, minus every attribute the table does not list (their meaning inside an identifying sequence is not
     * known); a sequence without items gets one empty item.
     */
    private void dummySequence(Dataset ds, int tag, Mode mode) throws DeidentificationException {
        Sequence s = ds.getSequence(tag);
        if (s == null) {
            ds.remove(tag);
            return;
        }
        while (s.size() > 1) {
            s.remove(s.size() - 1);
        }
        if (s.isEmpty()) {
            s.addItem();
            return;
        }
        processItems(s, mode.withDropUnlisted());
        if (s.isEmpty()) {
            s.addItem();
        }
    }

    private void replaceUids(Dataset ds, int tag) {
        if (!(ds.value(tag) instanceof byte[])) {
            ds.remove(tag);
            return;
        }
        String[] v = ds.getStrings(tag);
        if (v.length == 0) {
            return; // zero length stays zero length
        }
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = uids.map(v[i]);
        }
        ds.setString(tag, VR.UI, out);
    }

    private void clean(Dataset ds, int tag, VR vr, ProfileOption by, Mode mode) throws DeidentificationException {
        if (vr == VR.SQ) {
            Mode m = switch (by) {
                case CLEAN_STRUCTURED_CONTENT -> mode.withStructured();
                case CLEAN_GRAPHICS, CLEAN_DESCRIPTORS, RETAIN_PATIENT_CHARACTERISTICS -> mode.withCleanFreeText();
                default -> mode;
            };
            processItems(ds.getSequence(tag), m);
            return;
        }
        if (!(ds.value(tag) instanceof byte[]) && (by != ProfileOption.CLEAN_GRAPHICS || vr.isText())) {
            ds.remove(tag); // bulk or encapsulated values have no known clean form
            return;
        }
        switch (by) {
            case RETAIN_LONGITUDINAL_MODIFIED_DATES -> shiftDates(ds, tag, vr);
            case RETAIN_DEVICE_IDENTITY -> pseudonymizeAeTitles(ds, tag, vr);
            case CLEAN_GRAPHICS -> cleanGraphics(ds, tag, vr);
            default -> {
                if (vr.isText() && vr != VR.UI) {
                    cleanText(ds, tag, vr);
                } else {
                    ds.remove(tag);
                }
            }
        }
    }

    /** C of the Modified Dates Option: DA and DT shifted, TM and UTC offsets kept, anything else removed. */
    private void shiftDates(Dataset ds, int tag, VR vr) {
        switch (vr) {
            case DA, DT -> {
                String[] v = ds.getStrings(tag);
                String[] out = new String[v.length];
                for (int i = 0; i < v.length; i++) {
                    String s = v[i].isEmpty() ? "" : vr == VR.DA ? shifter.shiftDate(v[i]) : shifter.shiftDateTime(v[i]);
                    if (s == null) {
                        ds.setString(tag, vr, DummyValues.text(vr)); // not a valid date: not kept
                        return;
                    }
                    out[i] = s;
                }
                if (out.length > 0) {
                    ds.setString(tag, vr, out);
                }
            }
            case TM, SH -> {
                // whole-day shifts leave times and Timezone Offset From UTC as they are
            }
            default -> ds.remove(tag); // binary timestamps (OB) cannot be shifted
        }
    }

    /** C of the Retain Device Identity Option for AE titles (E.3.8): a keyed pseudonym, the same for the same title. */
    private void pseudonymizeAeTitles(Dataset ds, int tag, VR vr) {
        if (vr != VR.AE) {
            if (vr.isText() && vr != VR.UI) {
                cleanText(ds, tag, vr);
            } else {
                ds.remove(tag);
            }
            return;
        }
        String[] v = ds.getStrings(tag);
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].isEmpty() ? "" : "AE" + HexFormat.of().withUpperCase()
                    .formatHex(keyed.digest("ae-title", v[i]), 0, 7);
        }
        if (out.length > 0) {
            ds.setString(tag, VR.AE, out);
        }
    }

    /**
     * C of the Clean Graphics Option outside sequences: Overlay Data keeps its size with every bit cleared (no
     * program can tell identifying marks in a bitmap from others); text of curves and overlays is cleaned; other
     * curve values (the curve data themselves) are kept.
     */
    private void cleanGraphics(Dataset ds, int tag, VR vr) throws DeidentificationException {
        if ((tag & 0xFF01FFFF) == Tag.OverlayData) {
            Object v = ds.value(tag);
            long len = v instanceof byte[] b ? b.length : ((BulkData) v).length();
            if (len > Integer.MAX_VALUE - 8) {
                throw new DeidentificationException("Overlay Data " + Tag.toString(tag) + " is too large to clean");
            }
            ds.setBytes(tag, vr, new byte[(int) len]);
        } else if (vr.isText() && vr != VR.UI && vr != VR.CS) {
            cleanText(ds, tag, vr);
        }
    }

    private static void cleanText(Dataset ds, int tag, VR vr) {
        String[] v = ds.getStrings(tag);
        if (v.length == 0) {
            return;
        }
        if (vr == VR.PN) {
            ds.setString(tag, vr, DummyValues.TEXT);
            return;
        }
        if (vr.multiValued()) {
            String[] out = new String[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = TextCleaner.clean(v[i], vr);
            }
            ds.setString(tag, vr, out);
        } else {
            ds.setString(tag, vr, TextCleaner.clean(String.join("\\", v), vr));
        }
    }

    /** De-identifies each item of {@code s}; items that Table E.3.4-1 removes are taken out. */
    private void processItems(Sequence s, Mode mode) throws DeidentificationException {
        if (s == null) {
            return;
        }
        for (int i = s.size() - 1; i >= 0; i--) {
            if (!processItem(s.get(i), mode)) {
                s.remove(i);
            }
        }
    }

    /** Returns false if the item is to be removed from its sequence. */
    private boolean processItem(Dataset item, Mode mode) throws DeidentificationException {
        if (mode.structured()) {
            ContentItem ci = ContentItem.of(item);
            StructuredContentTable.Entry e = ci == null ? null
                    : structuredTable.lookup(ci.scheme(), ci.codeValue());
            if (e != null) {
                ProfileTable.Resolved r = e.asProfileRow().resolve(enabled);
                Action a = r.action();
                if (a.isCombined()) {
                    a = IodRequirements.resolveCombined(a, null, 0, false); // X/D: X (no template Types here)
                }
                if (a == Action.X) {
                    return false;
                }
                int valueTag = ContentItem.valueTagOf(e.valueType());
                if (valueTag != -1 && item.contains(valueTag)) {
                    VR vr = item.vrOf(valueTag);
                    if (valueTag == Tag.ReferencedSOPSequence || valueTag == Tag.MeasuredValueSequence
                            || valueTag == Tag.ConceptCodeSequence) {
                        // references, numbers and codes: their own attributes carry the actions
                        if (a == Action.D && valueTag == Tag.MeasuredValueSequence) {
                            Sequence mv = item.getSequence(valueTag);
                            if (mv != null) {
                                for (Dataset m : mv) {
                                    if (m.contains(Tag.NumericValue)) {
                                        m.setString(Tag.NumericValue, VR.DS, DummyValues.NUMBER);
                                    }
                                }
                            }
                        }
                        process(item, false, mode, -1);
                        return true;
                    }
                    if (a == Action.D) {
                        dummy(item, valueTag, vr, mode);
                    } else if (a == Action.C) {
                        clean(item, valueTag, vr, r.by(), mode);
                    } else if (a == Action.U && vr == VR.UI) {
                        replaceUids(item, valueTag);
                    }
                    process(item, false, mode, valueTag);
                    return true;
                }
            }
        }
        process(item, false, mode, -1);
        return true;
    }

    /** The concept name of a content item (PS3.3 C.17.3) and the element that holds its value by Value Type. */
    record ContentItem(String scheme, String codeValue) {

        static ContentItem of(Dataset item) {
            Sequence cn = item.getSequence(Tag.ConceptNameCodeSequence);
            if (cn == null || cn.isEmpty()) {
                return null;
            }
            Dataset code = cn.get(0);
            String value = code.getString(Tag.CodeValue);
            String scheme = code.getString(Tag.CodingSchemeDesignator);
            return value == null || scheme == null ? null : new ContentItem(scheme, value);
        }

        static int valueTagOf(String valueType) {
            return switch (valueType) {
                case "TEXT" -> Tag.TextValue;
                case "PNAME" -> Tag.PersonName;
                case "DATE" -> Tag.Date;
                case "TIME" -> Tag.Time;
                case "DATETIME" -> Tag.DateTime;
                case "UIDREF" -> Tag.UID;
                case "NUM" -> Tag.MeasuredValueSequence;
                case "CODE" -> Tag.ConceptCodeSequence;
                case "IMAGE", "COMPOSITE", "WAVEFORM" -> Tag.ReferencedSOPSequence;
                default -> -1;
            };
        }
    }
}
