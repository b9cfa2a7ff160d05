package org.cameldicomsecure.net.pdu;

/** PS3.8 §9.3.2: AE titles are 1-16 characters of the ISO 646 basic G0 set, not all spaces, no backslash or controls. */
public final class AeTitles {

    private AeTitles() {
    }

    /** Checks an AE title (without padding) and returns it. */
    public static String check(String aet, String what) {
        if (aet == null || aet.isBlank()) {
            throw new IllegalArgumentException(what + " AE title must not be empty");
        }
        if (aet.length() > 16) {
            throw new IllegalArgumentException(what + " AE title '" + aet + "' is longer than 16 characters");
        }
        for (int i = 0; i < aet.length(); i++) {
            char c = aet.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException(what + " AE title contains an illegal character at position "
                        + (i + 1));
            }
        }
        return aet;
    }
}
