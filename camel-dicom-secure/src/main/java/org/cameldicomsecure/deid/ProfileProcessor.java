package org.cameldicomsecure.deid;

import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

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

    /** {@code where} of the top-level data set: its attributes have the IOD's Types. */
    private static final int TOP_LEVEL = -2;
    /** {@code where} of a data set nested without known Types (otherwise {@code where} is the top-level sequence). */
    private static final int NESTED = -1;

    /**
     * The structure of a content item (PS3.3 C.17.3.3 Document Content Macro, C.17.3.4 Document Relationship Macro,
     * C.18 content item macros) that a stand-in content item keeps as it is: Type 1 and 1C attributes, and codes,
     * which E.1 assumes to be non-identifying. The value element is handled by Value Type.
     */
    private static final Set<Integer> CONTENT_STRUCTURE = Set.of(Tag.RelationshipType, Tag.ValueType,
            Tag.ConceptNameCodeSequence, Tag.ContinuityOfContent, Tag.ContentTemplateSequence, Tag.ConceptCodeSequence,
            Tag.ReferencedContentItemIdentifier, Tag.GraphicData, Tag.GraphicType, Tag.PixelOriginInterpretation,
            Tag.TemporalRangeType, Tag.ReferencedSamplePositions, Tag.ReferencedTimeOffsets);

    private final ProfileTable table;
    private final StructuredContentTable structuredTable;
    private final PrivateAttributeFilter privateFilter;
    private final Set<ProfileOption> enabled;
    private final Keyed keyed;
    private final UidMapper uids;
    private final DateShifter shifter;
    private final String sopClassUid;
    private final IodRequirements.Conditions conditions;

    /**
     * @param conditions what the conditional Types of {@link IodRequirements} need, from the instance before any
     *                   change
     */
    ProfileProcessor(ProfileTable table, StructuredContentTable structuredTable, PrivateAttributeFilter privateFilter,
            Set<ProfileOption> enabled, Keyed keyed, UidMapper uids, DateShifter shifter, String sopClassUid,
            IodRequirements.Conditions conditions) {
        this.table = table;
        this.structuredTable = structuredTable;
        this.privateFilter = privateFilter;
        this.enabled = enabled;
        this.keyed = keyed;
        this.uids = uids;
        this.shifter = shifter;
        this.sopClassUid = sopClassUid;
        this.conditions = conditions;
    }

    /** De-identifies the top-level data set in place. */
    void processTopLevel(Dataset ds) throws DeidentificationException {
        process(ds, TOP_LEVEL, Mode.NORMAL, t -> false);
    }

    /**
     * De-identifies one data set in place. {@code where} says which Types apply: {@link #TOP_LEVEL}, {@link #NESTED},
     * or the tag of the top-level sequence whose item this is (nested Types of {@link IodRequirements}).
     * {@code skip} matches elements already decided (the value of a content item, the structure of a stand-in
     * content item).
     */
    private void process(Dataset ds, int where, Mode mode, IntPredicate skip) throws DeidentificationException {
        Set<Integer> overlayGroups = new TreeSet<>();
        for (int tag : ds.tags()) {
            if (!ds.contains(tag) || skip.test(tag) || Tag.isPrivate(tag)) {
                continue;
            }
            if (Tag.isGroupLength(tag)) {
                ds.remove(tag); // retired outside group 0002 (PS3.5 §7.2); would be stale after changes
                continue;
            }
            VR vr = ds.vrOf(tag);
            int items = where == TOP_LEVEL ? tag : NESTED; // where the items of a sequence {@code tag} are
            ProfileTable.Row row = table.lookup(tag);
            if (row == null) {
                unlisted(ds, tag, vr, mode, items);
                continue;
            }
            ProfileTable.Resolved r = row.resolve(enabled);
            Action a = r.action();
            if (a.isCombined()) {
                a = IodRequirements.resolveCombined(a, typeOf(where, tag));
            }
            if (a == Action.X && (tag & 0xFF01FFFF) == Tag.OverlayData) {
                overlayGroups.add(tag >>> 16);
            }
            apply(ds, tag, vr, a, r.by(), mode, items);
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
            processItems(ds.getSequence(tag), mode, NESTED);
        }
    }

    /** The Type of {@code tag} in a data set at {@code where}. */
    private IodRequirements.Type typeOf(int where, int tag) {
        if (where == TOP_LEVEL) {
            return IodRequirements.typeOf(sopClassUid, tag, conditions);
        }
        return where == NESTED ? IodRequirements.Type.TYPE3
                : IodRequirements.nestedTypeOf(sopClassUid, where, tag, conditions);
    }

    private void unlisted(Dataset ds, int tag, VR vr, Mode mode, int items) throws DeidentificationException {
        if (mode.dropUnlisted()) {
            ds.remove(tag);
        } else if (vr == VR.SQ) {
            processItems(ds.getSequence(tag), mode, items);
        } else if (mode.cleanFreeText() && FREE_TEXT.contains(vr) && ds.value(tag) instanceof byte[]) {
            cleanText(ds, tag, vr);
        }
    }

    private void apply(Dataset ds, int tag, VR vr, Action a, ProfileOption by, Mode mode, int items)
            throws DeidentificationException {
        switch (a) {
            case X -> ds.remove(tag);
            case Z -> empty(ds, tag, vr);
            case D -> dummy(ds, tag, vr, mode, items);
            case K -> {
                if (vr == VR.SQ) {
                    processItems(ds.getSequence(tag), mode, items);
                }
            }
            case U -> {
                if (vr == VR.UI) {
                    replaceUids(ds, tag);
                } else if (vr == VR.SQ) {
                    processItems(ds.getSequence(tag), mode, items);
                } else {
                    ds.remove(tag); // a UID attribute with another VR (UN): cannot be remapped, so not kept
                }
            }
            case C -> clean(ds, tag, vr, by, mode, items);
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

    private void dummy(Dataset ds, int tag, VR vr, Mode mode, int items) throws DeidentificationException {
        if (vr == VR.SQ) {
            dummySequence(ds, tag, mode, items);
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
     * known); a sequence without items gets one empty item. A Content Sequence's stand-in item stays a valid content
     * item ({@link #standInContentItem}).
     */
    private void dummySequence(Dataset ds, int tag, Mode mode, int items) throws DeidentificationException {
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
        if (tag == Tag.ContentSequence) {
            standInContentItem(s.get(0), mode);
            return;
        }
        processItems(s, mode.withDropUnlisted(), items);
        if (s.isEmpty()) {
            s.addItem();
        }
    }

    /**
     * The stand-in item of a Content Sequence replaced by D (PS3.3 C.17.3): it keeps its structure
     * ({@link #CONTENT_STRUCTURE}: Relationship Type, Value Type, Concept Name Code Sequence, Continuity Of Content,
     * codes, coordinates), and its value element by Value Type gets a dummy valid for its VR (TEXT, PNAME, DATE, TIME,
     * DATETIME: the D dummies; UIDREF: the replacement UID; NUM: Numeric Value 0 with its units; IMAGE, COMPOSITE,
     * WAVEFORM: the reference de-identified by the table, SOP Class kept; CODE: the code). A nested Content Sequence
     * is D in the table, so it gets a stand-in item in turn. Everything else the table does not list is dropped.
     */
    private void standInContentItem(Dataset item, Mode mode) throws DeidentificationException {
        String valueType = item.getString(Tag.ValueType);
        int valueTag = valueType == null ? -1 : ContentItem.valueTagOf(valueType);
        switch (valueType == null ? "" : valueType) {
            case "TEXT" -> item.setString(Tag.TextValue, vrOr(item, Tag.TextValue, VR.UT), DummyValues.TEXT);
            case "PNAME" -> item.setString(Tag.PersonName, VR.PN, DummyValues.TEXT);
            case "DATE" -> item.setString(Tag.Date, VR.DA, DummyValues.DATE);
            case "TIME" -> item.setString(Tag.Time, VR.TM, DummyValues.TIME);
            case "DATETIME" -> item.setString(Tag.DateTime, VR.DT, DummyValues.DATE_TIME);
            case "UIDREF" -> dummy(item, Tag.UID, VR.UI, mode, NESTED);
            case "NUM" -> standInMeasuredValue(item.getSequence(Tag.MeasuredValueSequence));
            case "IMAGE", "COMPOSITE", "WAVEFORM" -> processItems(item.getSequence(Tag.ReferencedSOPSequence),
                    new Mode(mode.cleanFreeText(), mode.structured(), false), NESTED);
            default -> {
                // CODE (Concept Code Sequence), CONTAINER, SCOORD, SCOORD3D, TCOORD: kept as structure; by-reference
                // items (no Value Type): Referenced Content Item Identifier
            }
        }
        process(item, NESTED, mode.withDropUnlisted(), t -> CONTENT_STRUCTURE.contains(t) || t == valueTag);
    }

    private static VR vrOr(Dataset ds, int tag, VR dflt) {
        return ds.contains(tag) ? ds.vrOf(tag) : dflt;
    }

    /**
     * The value of a NUM stand-in (C.18.1 Numeric Measurement Macro, Measured Value Sequence Type 2): at most one item,
     * with Numeric Value 0 and its Measurement Units Code Sequence (both Type 1), nothing else.
     */
    private static void standInMeasuredValue(Sequence mv) {
        if (mv == null) {
            return;
        }
        while (mv.size() > 1) {
            mv.remove(mv.size() - 1);
        }
        if (mv.isEmpty()) {
            return; // Type 2: an empty measured value stays empty
        }
        Dataset m = mv.get(0);
        for (int t : m.tags()) {
            if (t != Tag.MeasurementUnitsCodeSequence) {
                m.remove(t);
            }
        }
        m.setString(Tag.NumericValue, VR.DS, DummyValues.NUMBER);
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

    private void clean(Dataset ds, int tag, VR vr, ProfileOption by, Mode mode, int items)
            throws DeidentificationException {
        if (vr == VR.SQ) {
            Mode m = switch (by) {
                case CLEAN_STRUCTURED_CONTENT -> mode.withStructured();
                case CLEAN_GRAPHICS, CLEAN_DESCRIPTORS, RETAIN_PATIENT_CHARACTERISTICS -> mode.withCleanFreeText();
                default -> mode;
            };
            processItems(ds.getSequence(tag), m, items);
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

    /**
     * De-identifies each item of {@code s}; items that Table E.3.4-1 removes are taken out. {@code where}: see
     * {@link #process}.
     */
    private void processItems(Sequence s, Mode mode, int where) throws DeidentificationException {
        if (s == null) {
            return;
        }
        for (int i = s.size() - 1; i >= 0; i--) {
            if (!processItem(s.get(i), mode, where)) {
                s.remove(i);
            }
        }
    }

    /** Returns false if the item is to be removed from its sequence. */
    private boolean processItem(Dataset item, Mode mode, int where) throws DeidentificationException {
        if (mode.structured()) {
            ContentItem ci = ContentItem.of(item);
            StructuredContentTable.Entry e = ci == null ? null
                    : structuredTable.lookup(ci.scheme(), ci.codeValue());
            if (e != null) {
                ProfileTable.Resolved r = e.asProfileRow().resolve(enabled);
                Action a = r.action();
                if (a.isCombined()) {
                    a = IodRequirements.resolveCombined(a, IodRequirements.Type.TYPE3); // X/D: X (no template Types)
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
                        process(item, where, mode, t -> false);
                        return true;
                    }
                    if (a == Action.D) {
                        dummy(item, valueTag, vr, mode, NESTED);
                    } else if (a == Action.C) {
                        clean(item, valueTag, vr, r.by(), mode, NESTED);
                    } else if (a == Action.U && vr == VR.UI) {
                        replaceUids(item, valueTag);
                    }
                    process(item, where, mode, t -> t == valueTag);
                    return true;
                }
            }
        }
        process(item, where, mode, t -> false);
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
