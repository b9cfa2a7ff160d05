package org.cameldicomsecure.dicom.charset;

/**
 * A value of Specific Character Set (0008,0005) that is no Defined Term of PS3.3 §C.12.1.1.2, or whose character set
 * this Java runtime cannot map. The message names the value; nothing is decoded with a guessed character set instead.
 */
public class UnknownCharacterSetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String definedTerm;

    UnknownCharacterSetException(String definedTerm, String message) {
        super(message);
        this.definedTerm = definedTerm;
    }

    /** The offending value of (0008,0005), as given (trimmed). */
    public String definedTerm() {
        return definedTerm;
    }
}
