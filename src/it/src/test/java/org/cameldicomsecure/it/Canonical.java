package org.cameldicomsecure.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * One canonical text line per element, item and fragment, computed on one side from dcmdump's listing and on the other
 * from our {@link Dataset}, so that the two can be compared with {@code assertEquals} (and a failure shows a diff).
 *
 * <p>A line holds the tag, the VR, the value length ({@code u/l} when undefined), the VM and the value: text as its
 * bytes (one char per byte, trailing padding removed, as dcmdump prints it), integers in decimal, floating point
 * numbers to 7 (FL, OF) or 14 (FD, OD) significant digits, AT as {@code (GGGG,EEEE)}, OB/UN as hex bytes and OW as
 * hex words (dcmdump's notation). Sequences list their items, each with its length, and encapsulated pixel data its
 * fragments.
 */
final class Canonical {

    private static final DicomWriter WRITER = new DicomWriter();

    private Canonical() {
    }

    // ------------------------------------------------------------------------------------------------- dcmdump side

    static List<String> of(List<Dcmdump.Node> nodes) {
        List<String> out = new ArrayList<>();
        for (Dcmdump.Node n : nodes) {
            dcmtk(n, "", out);
        }
        return out;
    }

    private static void dcmtk(Dcmdump.Node n, String indent, List<String> out) {
        String vr = n.vr.equals("??") ? "UN" : n.vr; // dcmdump's "??": an element of unknown VR read in implicit VR
        switch (n.kind) {
            case SEQUENCE -> {
                out.add(indent + Dcmdump.tagText(n.tag) + " SQ #" + n.length + " items=" + n.count);
                for (Dcmdump.Node item : n.children) {
                    dcmtk(item, indent + "  ", out);
                }
            }
            case ITEM -> {
                out.add(indent + "item #" + n.length + " elements=" + n.count);
                for (Dcmdump.Node e : n.children) {
                    dcmtk(e, indent + "  ", out);
                }
            }
            case PIXEL_SEQUENCE -> {
                out.add(indent + Dcmdump.tagText(n.tag) + " " + vr + " #" + n.length + " fragments=" + n.count);
                for (Dcmdump.Node f : n.children) {
                    dcmtk(f, indent + "  ", out);
                }
            }
            case FRAGMENT -> out.add(indent + "fragment #" + n.length + " " + n.value);
            case ELEMENT -> out.add(indent + Dcmdump.tagText(n.tag) + " " + vr + " #" + n.length + " vm=" + n.vm + " "
                    + dcmtkValue(vr, n.value));
            default -> throw new IllegalStateException(n.kind.name());
        }
    }

    private static String dcmtkValue(String vr, String v) {
        if (v.isEmpty()) {
            return "";
        }
        VR r;
        try {
            r = VR.valueOf(vr);
        } catch (IllegalArgumentException e) {
            return v; // a pseudo-VR of dcmdump: keep as printed, the comparison will show it
        }
        return switch (r) {
            case FL, OF -> join(v, s -> number(Float.parseFloat(s), 7));
            case FD, OD -> join(v, s -> number(Double.parseDouble(s), 14));
            case AT -> v.toUpperCase(Locale.ROOT);
            case OB, UN, OW -> v.toLowerCase(Locale.ROOT);
            default -> r.isText() ? stripPadding(r, v) : v;
        };
    }

    /**
     * A floating point number to {@code digits} significant digits. dcmdump prints FL/OF with 9 and FD/OD with 17
     * digits, but its own formatting is not exact for extreme exponents (1e300 is stored exactly, yet printed as
     * 1.0000000000000006e+300), so both sides are compared at a precision both print exactly.
     */
    static String number(double d, int digits) {
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", d);
    }

    private static String join(String v, java.util.function.UnaryOperator<String> f) {
        String[] parts = v.split("\\\\", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append('\\');
            }
            b.append(f.apply(parts[i]));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------- our side

    /** Canonical lines of {@code ds}, with lengths as encoded in {@code ts}. */
    static List<String> of(Dataset ds, TransferSyntax ts) throws IOException {
        List<String> out = new ArrayList<>();
        ours(ds, ts, "", out);
        return out;
    }

    private static void ours(Dataset ds, TransferSyntax ts, String indent, List<String> out) throws IOException {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            String t = Dcmdump.tagText(tag);
            if (v instanceof Sequence s) {
                TransferSyntax itemTs = s.encodedAsUnknown() ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : ts;
                out.add(indent + t + " SQ #" + (s.undefinedLength() ? "u/l" : Long.toString(sequenceLength(s, itemTs)))
                        + " items=" + s.size());
                for (Dataset item : s) {
                    out.add(indent + "  item #" + (item.undefinedLength() ? "u/l"
                            : Long.toString(WRITER.encodedLength(item, itemTs))) + " elements=" + item.size());
                    ours(item, itemTs, indent + "    ", out);
                }
            } else if (v instanceof Fragments f) {
                out.add(indent + t + " " + vr + " #u/l fragments=" + f.size());
                for (int k = 0; k < f.size(); k++) {
                    out.add(indent + "  fragment #" + f.length(k) + " " + hexBytes(f.bytes(k)));
                }
            } else {
                byte[] b = v instanceof byte[] bytes ? bytes : ((BulkData) v).toByteArray();
                out.add(indent + t + " " + vr + " #" + b.length + " vm=" + vm(vr, b) + " " + ourValue(ds, tag, vr, b));
            }
        }
    }

    /** What a defined sequence length holds: each item's header, elements and (if undefined) delimiter. */
    static long sequenceLength(Sequence s, TransferSyntax ts) {
        long n = 0;
        for (Dataset item : s) {
            n += 8 + WRITER.encodedLength(item, ts) + (item.undefinedLength() ? 8 : 0);
        }
        return n;
    }

    private static int vm(VR vr, byte[] b) {
        if (b.length == 0) {
            return 0;
        }
        return switch (vr) {
            case AT, FL, SL, UL -> b.length / 4;
            case FD, SV, UV -> b.length / 8;
            case SS, US -> b.length / 2;
            case OB, OD, OF, OL, OV, OW, UN -> 1;
            default -> {
                if (!vr.multiValued()) {
                    yield 1;
                }
                int n = 1;
                for (byte x : b) {
                    if (x == '\\') {
                        n++;
                    }
                }
                yield n;
            }
        };
    }

    private static String ourValue(Dataset ds, int tag, VR vr, byte[] b) {
        if (b.length == 0) {
            return "";
        }
        return switch (vr) {
            case OB, UN -> hexBytes(b);
            case OW -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i + 1 < b.length; i += 2) {
                    if (i > 0) {
                        s.append('\\');
                    }
                    s.append(String.format(Locale.ROOT, "%04x", ByteOrderUtil.uint16(b, i, ds.bigEndian())));
                }
                yield s.toString();
            }
            case AT -> {
                String[] at = ds.getStrings(tag);
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < at.length; i++) {
                    if (i > 0) {
                        s.append('\\');
                    }
                    s.append('(').append(at[i], 0, 4).append(',').append(at[i], 4, 8).append(')');
                }
                yield s.toString().toUpperCase(Locale.ROOT);
            }
            case FL, OF -> join(String.join("\\", ds.getStrings(tag)), s -> number(Float.parseFloat(s), 7));
            case FD, OD -> join(String.join("\\", ds.getStrings(tag)), s -> number(Double.parseDouble(s), 14));
            default -> vr.isText()
                    ? stripPadding(vr, new String(b, StandardCharsets.ISO_8859_1))
                    : String.join("\\", ds.getStrings(tag));
        };
    }

    /** dcmdump drops trailing spaces of a text value, and trailing NULs of a UI. */
    private static String stripPadding(VR vr, String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || (vr == VR.UI && s.charAt(end - 1) == '\0'))) {
            end--;
        }
        return s.substring(0, end);
    }

    static String hexBytes(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 3);
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                s.append('\\');
            }
            s.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return s.toString();
    }
}
