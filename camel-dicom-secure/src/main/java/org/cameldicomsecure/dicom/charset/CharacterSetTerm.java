package org.cameldicomsecure.dicom.charset;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;

/**
 * The Defined Terms of Specific Character Set (0008,0005), PS3.3 §C.12.1.1.2, with the code elements each one
 * designates.
 *
 * <ul>
 * <li>Table C.12-2, single-byte without code extensions: G0 ISO-IR 6 (ISO-IR 14 for ISO_IR 13) plus a G1 set.</li>
 * <li>Table C.12-3, single-byte with code extensions: the same sets, named "ISO 2022 IR n".</li>
 * <li>Table C.12-4, multi-byte with code extensions, only for value 2 to n: one 94×94 set in G0 or G1.</li>
 * <li>Table C.12-5, multi-byte without code extensions: UTF-8, GB18030, GBK; these do not use ISO/IEC 2022 and
 * allow no other value (PS3.5 §6.1.2.4 note 3, §6.1.2.5.4 d).</li>
 * </ul>
 *
 * The default repertoire has no Defined Term (value 1 empty or (0008,0005) absent).
 */
enum CharacterSetTerm {
    ISO_IR_100("ISO_IR 100", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_100),
    ISO_IR_101("ISO_IR 101", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_101),
    ISO_IR_109("ISO_IR 109", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_109),
    ISO_IR_110("ISO_IR 110", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_110),
    ISO_IR_144("ISO_IR 144", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_144),
    ISO_IR_127("ISO_IR 127", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_127),
    ISO_IR_126("ISO_IR 126", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_126),
    ISO_IR_138("ISO_IR 138", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_138),
    ISO_IR_148("ISO_IR 148", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_148),
    ISO_IR_203("ISO_IR 203", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_203),
    ISO_IR_13("ISO_IR 13", Table.C_12_2, CodeElement.IR_14, CodeElement.IR_13),
    ISO_IR_166("ISO_IR 166", Table.C_12_2, CodeElement.IR_6, CodeElement.IR_166),

    ISO_2022_IR_6("ISO 2022 IR 6", Table.C_12_3, CodeElement.IR_6, null),
    ISO_2022_IR_100("ISO 2022 IR 100", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_100),
    ISO_2022_IR_101("ISO 2022 IR 101", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_101),
    ISO_2022_IR_109("ISO 2022 IR 109", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_109),
    ISO_2022_IR_110("ISO 2022 IR 110", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_110),
    ISO_2022_IR_144("ISO 2022 IR 144", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_144),
    ISO_2022_IR_127("ISO 2022 IR 127", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_127),
    ISO_2022_IR_126("ISO 2022 IR 126", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_126),
    ISO_2022_IR_138("ISO 2022 IR 138", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_138),
    ISO_2022_IR_148("ISO 2022 IR 148", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_148),
    ISO_2022_IR_203("ISO 2022 IR 203", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_203),
    ISO_2022_IR_13("ISO 2022 IR 13", Table.C_12_3, CodeElement.IR_14, CodeElement.IR_13),
    ISO_2022_IR_166("ISO 2022 IR 166", Table.C_12_3, CodeElement.IR_6, CodeElement.IR_166),

    ISO_2022_IR_87("ISO 2022 IR 87", Table.C_12_4, CodeElement.IR_87, null),
    ISO_2022_IR_159("ISO 2022 IR 159", Table.C_12_4, CodeElement.IR_159, null),
    ISO_2022_IR_149("ISO 2022 IR 149", Table.C_12_4, null, CodeElement.IR_149),
    ISO_2022_IR_58("ISO 2022 IR 58", Table.C_12_4, null, CodeElement.IR_58),

    ISO_IR_192("ISO_IR 192", "UTF-8"),
    GB18030("GB18030", "GB18030"),
    GBK("GBK", "GBK");

    /** The PS3.3 table a term comes from. */
    enum Table { C_12_2, C_12_3, C_12_4, C_12_5 }

    private static final Map<String, CharacterSetTerm> BY_TERM = new HashMap<>();

    static {
        for (CharacterSetTerm t : values()) {
            BY_TERM.put(t.term, t);
        }
    }

    private final String term;
    private final Table table;
    private final CodeElement g0;
    private final CodeElement g1;
    private final String charsetName;

    CharacterSetTerm(String term, Table table, CodeElement g0, CodeElement g1) {
        this.term = term;
        this.table = table;
        this.g0 = g0;
        this.g1 = g1;
        this.charsetName = null;
    }

    CharacterSetTerm(String term, String charsetName) {
        this.term = term;
        this.table = Table.C_12_5;
        this.g0 = null;
        this.g1 = null;
        this.charsetName = charsetName;
    }

    /**
     * The term for a (trimmed, non-empty) value of (0008,0005); checks that this Java runtime has the charsets it
     * needs.
     *
     * @throws UnknownCharacterSetException if the value is no Defined Term, or a charset it needs is missing
     */
    static CharacterSetTerm of(String value) {
        CharacterSetTerm t = BY_TERM.get(value);
        if (t == null) {
            throw new UnknownCharacterSetException(value,
                    "unknown Specific Character Set (0008,0005) value '" + value + "'");
        }
        t.requireCharset(t.charsetName);
        t.requireCharset(t.g0 == null ? null : t.g0.charsetName());
        t.requireCharset(t.g1 == null ? null : t.g1.charsetName());
        return t;
    }

    private void requireCharset(String name) {
        if (name != null && !Charset.isSupported(name)) {
            throw new UnknownCharacterSetException(term, "Specific Character Set (0008,0005) value '" + term
                    + "' needs the Java charset " + name + ", which this Java runtime does not provide");
        }
    }

    String term() {
        return term;
    }

    Table table() {
        return table;
    }

    /** True for the terms decoded with ISO/IEC 2022 escape sequences (Tables C.12-3 and C.12-4). */
    boolean isCodeExtension() {
        return table == Table.C_12_3 || table == Table.C_12_4;
    }

    /** The G0 code element this term designates, or null. */
    CodeElement g0() {
        return g0;
    }

    /** The G1 code element this term designates, or null. */
    CodeElement g1() {
        return g1;
    }

    /** For Table C.12-5 terms, the charset of the whole value. */
    Charset charset() {
        return Charset.forName(charsetName);
    }
}
