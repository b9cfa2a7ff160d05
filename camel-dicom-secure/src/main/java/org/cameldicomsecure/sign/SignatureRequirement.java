package org.cameldicomsecure.sign;

import java.util.Locale;

/**
 * What a verifier demands of an instance: at least one valid signature ({@link #ANY}) or one of a given profile. A
 * signature inside a sequence item counts.
 */
public enum SignatureRequirement {
    ANY(null),
    CREATOR(SignatureProfile.CREATOR),
    AUTHORIZATION(SignatureProfile.AUTHORIZATION),
    SR(SignatureProfile.SR);

    private final SignatureProfile profile;

    SignatureRequirement(SignatureProfile profile) {
        this.profile = profile;
    }

    /** The profile a valid signature must satisfy, or null for any valid signature. */
    public SignatureProfile profile() {
        return profile;
    }

    /**
     * Parses ANY, CREATOR, AUTHORIZATION or SR (case-insensitive).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static SignatureRequirement parse(String text) {
        if (text != null) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // below
            }
        }
        throw new IllegalArgumentException("unknown signature requirement \"" + text
                + "\": ANY, CREATOR, AUTHORIZATION or SR");
    }
}
