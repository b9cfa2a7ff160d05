package org.cameldicomsecure.sign;

import java.util.Locale;

/**
 * Digital Signature Purpose codes, CID 7007 (PS3.16): the signature purposes of ASTM E2084, coding scheme
 * "ASTM-sigpurpose", the leaf digit of the purpose OID as Code Value, and the title of the ASTM E1762 definition as
 * Code Meaning.
 */
public enum SignaturePurpose {
    AUTHOR(1, "Author's Signature"),
    COAUTHOR(2, "Coauthor's Signature"),
    CO_PARTICIPANT(3, "Co-participant's Signature"),
    TRANSCRIPTIONIST(4, "Transcriptionist/Recorder Signature"),
    VERIFICATION(5, "Verification Signature"),
    VALIDATION(6, "Validation Signature"),
    CONSENT(7, "Consent Signature"),
    SIGNATURE_WITNESS(8, "Signature Witness Signature"),
    EVENT_WITNESS(9, "Event Witness Signature"),
    IDENTITY_WITNESS(10, "Identity Witness Signature"),
    CONSENT_WITNESS(11, "Consent Witness Signature"),
    INTERPRETER(12, "Interpreter Signature"),
    REVIEW(13, "Review Signature"),
    SOURCE(14, "Source Signature"),
    ADDENDUM(15, "Addendum Signature"),
    MODIFICATION(16, "Modification Signature"),
    ADMINISTRATIVE(17, "Administrative (Error/Edit) Signature"),
    TIMESTAMP(18, "Timestamp Signature");

    /** Coding Scheme Designator (0008,0102) of CID 7007. */
    public static final String CODING_SCHEME = "ASTM-sigpurpose";

    private final int code;
    private final String meaning;

    SignaturePurpose(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** Code Value (0008,0100). */
    public String codeValue() {
        return Integer.toString(code);
    }

    /** Code Meaning (0008,0104). */
    public String codeMeaning() {
        return meaning;
    }

    /** The purpose with Code Value {@code value}, or null if CID 7007 has none. */
    public static SignaturePurpose ofCodeValue(String value) {
        for (SignaturePurpose p : values()) {
            if (p.codeValue().equals(value == null ? null : value.trim())) {
                return p;
            }
        }
        return null;
    }

    /**
     * A purpose by name ({@code VERIFICATION}, case-insensitive) or Code Value ({@code 5}).
     *
     * @throws IllegalArgumentException naming the text and the valid forms
     */
    public static SignaturePurpose parse(String text) {
        if (text != null) {
            SignaturePurpose byCode = ofCodeValue(text);
            if (byCode != null) {
                return byCode;
            }
            String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (SignaturePurpose p : values()) {
                if (p.name().equals(t)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown signature purpose \"" + text + "\": a CID 7007 code value 1-18 or "
                + "one of AUTHOR, COAUTHOR, CO_PARTICIPANT, TRANSCRIPTIONIST, VERIFICATION, VALIDATION, CONSENT, "
                + "SIGNATURE_WITNESS, EVENT_WITNESS, IDENTITY_WITNESS, CONSENT_WITNESS, INTERPRETER, REVIEW, SOURCE, "
                + "ADDENDUM, MODIFICATION, ADMINISTRATIVE, TIMESTAMP");
    }
}
