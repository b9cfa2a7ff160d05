package org.cameldicomsecure.dicom.charset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The character set of the text values of a data set, given by Specific Character Set (0008,0005): the Defined Terms
 * of PS3.3 §C.12.1.1.2 (Tables C.12-2 to C.12-5) and their encoding rules of PS3.5 §6.1.2.
 *
 * <p>It applies to the VRs SH, LO, UC, ST, LT, UT and PN (PS3.5 §6.1.2.2); other text VRs use the default repertoire,
 * {@link #DEFAULT}. Instances are immutable and thread-safe.
 *
 * <p>How values map to code:
 *
 * <ul>
 * <li>Absent, or all values empty: the default repertoire ISO-IR 6 (PS3.5 §6.1.2.1); other bytes decode to
 * U+FFFD.</li>
 * <li>One value from Table C.12-2 ("ISO_IR 100", ...): an 8-bit code with that G0 and G1 set and no code extensions
 * (PS3.5 §6.1.2.5.4 b).</li>
 * <li>One value from Table C.12-5 ("ISO_IR 192", "GB18030", "GBK"): UTF-8, GB 18030 or GBK for the whole value, which
 * allow no other value (PS3.5 §6.1.2.4 note 3).</li>
 * <li>Several values, or one "ISO 2022 ..." value of Tables C.12-3 and C.12-4: ISO/IEC 2022 code extensions with the
 * escape sequences of those tables (PS3.5 §6.1.2.5.4 c), see {@link #isIso2022()}. An empty value 1 stands for ISO
 * 2022 IR 6. A multi-byte set (Table C.12-4) is only for value 2 to n; given as value 1 it is designated by its escape
 * sequence like the others, from the initial state of the default repertoire. A Table C.12-2 term among several values
 * is read as its "ISO 2022" twin of Table C.12-3 (same code elements).</li>
 * </ul>
 *
 * <p>The byte 05/12 is returned as "\" (U+005C) whenever it is a single-byte character, also in the JIS X 0201 Romaji
 * of ISO_IR 13 and ISO 2022 IR 13, where its glyph is a YEN SIGN: it is the value delimiter "regardless of what glyph
 * is used" (PS3.5 §6.1.2.3 note 3), and callers split multi-valued text on it. Likewise 07/14 stays "~".
 */
public final class SpecificCharacterSet {

    /** The default repertoire, ISO-IR 6, for data sets without (0008,0005) or with an empty value (PS3.5 §6.1.2.1). */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(List.of(), false,
            new Iso2022Codec(CodeElement.IR_6, null, List.of(), false, "(default repertoire)"));

    private final List<String> definedTerms;
    private final boolean iso2022;
    private final TextCodec codec;

    private SpecificCharacterSet(List<String> definedTerms, boolean iso2022, TextCodec codec) {
        this.definedTerms = definedTerms;
        this.iso2022 = iso2022;
        this.codec = codec;
    }

    /**
     * The character set for the values of (0008,0005), in order, e.g. {@code "ISO 2022 IR 6", "ISO 2022 IR 87"}.
     * Values are trimmed of padding; an empty value 1 means the default repertoire; empty values after value 1 carry no
     * term and are skipped.
     *
     * @param values the values of (0008,0005); none, null or all empty give {@link #DEFAULT}
     * @throws UnknownCharacterSetException if a value is no Defined Term of PS3.3 §C.12.1.1.2 (the message names it,
     *     e.g. "unknown Specific Character Set (0008,0005) value 'ISO_IR 999'"), or this Java runtime lacks the
     *     charset it needs
     * @throws IllegalArgumentException if ISO_IR 192, GB18030 or GBK is given together with other values
     */
    public static SpecificCharacterSet valueOf(String... values) {
        List<String> terms = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                terms.add(v == null ? "" : v.trim());
            }
        }
        if (terms.stream().allMatch(String::isEmpty)) {
            return DEFAULT;
        }
        String label = "'" + String.join("\\", terms) + "'";
        List<CharacterSetTerm> declared = new ArrayList<>();
        for (String term : terms) {
            if (!term.isEmpty()) {
                declared.add(CharacterSetTerm.of(term));
            }
        }
        List<String> definedTerms = List.copyOf(terms);
        if (terms.size() == 1) {
            CharacterSetTerm only = declared.get(0);
            if (only.table() == CharacterSetTerm.Table.C_12_5) {
                return new SpecificCharacterSet(definedTerms, false, new CharsetCodec(only.charset(), label));
            }
            return iso2022(definedTerms, only, declared, only.isCodeExtension(), label);
        }
        for (CharacterSetTerm t : declared) {
            if (t.table() == CharacterSetTerm.Table.C_12_5) {
                throw new IllegalArgumentException("Specific Character Set (0008,0005) value '" + t.term()
                        + "' allows no code extensions, so it must be the only value, not one of " + label
                        + " (PS3.5 §6.1.2.4)");
            }
        }
        CharacterSetTerm first = terms.get(0).isEmpty() ? null : declared.get(0);
        return iso2022(definedTerms, first, declared, true, label);
    }

    private static SpecificCharacterSet iso2022(List<String> definedTerms, CharacterSetTerm first,
            List<CharacterSetTerm> declared, boolean codeExtensions, String label) {
        boolean singleByteFirst = first != null && first.table() != CharacterSetTerm.Table.C_12_4;
        CodeElement g0 = singleByteFirst ? first.g0() : CodeElement.IR_6;
        CodeElement g1 = singleByteFirst ? first.g1() : null;
        Set<CodeElement> designatable = new LinkedHashSet<>();
        if (codeExtensions) {
            designatable.add(g0);
            if (g1 != null) {
                designatable.add(g1);
            }
            for (CharacterSetTerm t : declared) {
                if (t.g0() != null) {
                    designatable.add(t.g0());
                }
                if (t.g1() != null) {
                    designatable.add(t.g1());
                }
            }
        }
        return new SpecificCharacterSet(definedTerms, codeExtensions,
                new Iso2022Codec(g0, g1, List.copyOf(designatable), codeExtensions, label));
    }

    /** The values of (0008,0005) this was made from, trimmed, in order; empty for {@link #DEFAULT}. */
    public List<String> definedTerms() {
        return definedTerms;
    }

    /**
     * True if text is read and written with ISO/IEC 2022 escape sequences (PS3.5 §6.1.2.5): (0008,0005) has several
     * values or an "ISO 2022 ..." value. Decoding then accepts every escape sequence of PS3.3 Tables C.12-3 and C.12-4,
     * also for a set that (0008,0005) does not list, as each one names its set unambiguously; encoding designates only
     * the listed sets.
     */
    public boolean isIso2022() {
        return iso2022;
    }

    /**
     * Decodes a text value: the bytes exactly as stored, possibly several values separated by 05/12, possibly with
     * trailing padding, which is kept. Bytes that the set in use does not assign decode to U+FFFD.
     *
     * @throws IndexOutOfBoundsException if offset and length are not within the array
     * @throws IllegalArgumentException if, with {@link #isIso2022()}, the value has an escape sequence that is not in
     *     PS3.3 Tables C.12-3 and C.12-4 (the message shows the escape sequence only)
     */
    public String decode(byte[] value, int offset, int length) {
        return codec.decode(value, offset, length);
    }

    /**
     * Encodes a text value (several values joined by "\" may be given at once). With {@link #isIso2022()} the
     * designations of value 1 are in force again before every control character, before each "\", at the end, and for a
     * PN also before each "^" and "=" (PS3.5 §6.1.2.5.3); no padding is added.
     *
     * @param personName true for VR PN, whose component "^" and component group "=" delimiters also restore value 1
     * @throws IllegalArgumentException naming the first character (as U+XXXX) that the declared sets cannot represent,
     *     or an ESC, which is reserved for escape sequences (PS3.5 §6.1.3)
     */
    public byte[] encode(String value, boolean personName) {
        Objects.requireNonNull(value, "value");
        int esc = value.indexOf('\u001B');
        if (esc >= 0) {
            throw new IllegalArgumentException("character U+001B (ESC) is reserved for ISO 2022 escape sequences and "
                    + "cannot be part of a text value (PS3.5 §6.1.3)");
        }
        return codec.encode(value, personName);
    }

    static IllegalArgumentException unencodable(int codePoint, String label) {
        String printable = Character.isISOControl(codePoint) || !Character.isDefined(codePoint)
                ? "" : " '" + new String(Character.toChars(codePoint)) + "'";
        return new IllegalArgumentException(String.format("character U+%04X%s cannot be represented in Specific "
                + "Character Set (0008,0005) %s", codePoint, printable, label));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet other && definedTerms.equals(other.definedTerms);
    }

    @Override
    public int hashCode() {
        return definedTerms.hashCode();
    }

    @Override
    public String toString() {
        return "SpecificCharacterSet" + definedTerms;
    }
}
