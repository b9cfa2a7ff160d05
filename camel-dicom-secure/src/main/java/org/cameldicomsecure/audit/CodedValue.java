package org.cameldicomsecure.audit;

import java.util.Objects;

/**
 * A coded value of the audit message schema ({@code CodedValueType}): {@code csd-code}, {@code codeSystemName},
 * {@code originalText} (the DICOM Code Meaning) and an optional {@code displayName}.
 *
 * <p>The schema requires all three of code, scheme and meaning on every coded element except
 * {@code AuditSourceTypeCode}, whose single-digit codes 1–9 (A.5.1.2.1) may stand alone: {@link #bare(String)} makes
 * such a code, {@link #isBare()} tells it apart. Everywhere else a bare code is refused by the model.
 *
 * @param code           the {@code csd-code}, never blank
 * @param codeSystemName the coding scheme designator ("DCM", "RFC-3881") or an OID; null only for a bare code
 * @param originalText   the code meaning; null only for a bare code
 * @param displayName    optional, may be null
 */
public record CodedValue(String code, String codeSystemName, String originalText, String displayName) {

    public CodedValue {
        requireText(code, "csd-code");
        if (codeSystemName == null) {
            if (originalText != null || displayName != null) {
                throw new IllegalArgumentException("a coded value with originalText or displayName needs a "
                        + "codeSystemName (code " + code + ")");
            }
        } else {
            requireText(codeSystemName, "codeSystemName");
            requireText(originalText, "originalText of code " + code);
            if (displayName != null) {
                requireText(displayName, "displayName of code " + code);
            }
        }
    }

    /** A full coded value without display name. */
    public static CodedValue of(String code, String codeSystemName, String originalText) {
        return new CodedValue(code, codeSystemName, originalText, null);
    }

    /** A code of the DICOM scheme "DCM". */
    public static CodedValue dcm(String code, String meaning) {
        return new CodedValue(code, "DCM", meaning, null);
    }

    /** A code without scheme and meaning: allowed by the schema only for {@code AuditSourceTypeCode} (1–9). */
    public static CodedValue bare(String code) {
        return new CodedValue(code, null, null, null);
    }

    /** True when this code has no scheme and meaning (see {@link #bare(String)}). */
    public boolean isBare() {
        return codeSystemName == null;
    }

    /** This code with the given display name. */
    public CodedValue withDisplayName(String name) {
        return new CodedValue(code, codeSystemName, originalText, name);
    }

    /** True when code and scheme are equal (the meaning and display name are ignored, as in DICOM code matching). */
    public boolean sameCode(CodedValue other) {
        return other != null && code.equals(other.code) && Objects.equals(codeSystemName, other.codeSystemName);
    }

    /** Throws unless the value is a full coded value; used where the schema requires CodedValueType. */
    static CodedValue requireFull(CodedValue value, String where) {
        Objects.requireNonNull(value, where);
        if (value.isBare()) {
            throw new IllegalArgumentException(where + " needs codeSystemName and originalText (schema CodedValueType), "
                    + "code " + value.code() + " has none");
        }
        return value;
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return isBare() ? "(" + code + ")" : "(" + code + ", " + codeSystemName + ", \"" + originalText + "\")";
    }
}
