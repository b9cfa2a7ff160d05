package org.cameldicomsecure.dicom;

import java.util.regex.Pattern;

/** PS3.5 §9.1 / PS3.8 Annex F: a UID is 1-64 characters of digit components separated by periods. */
public final class UidSyntax {

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private UidSyntax() {
    }

    public static boolean isValid(String uid) {
        return uid != null && !uid.isEmpty() && uid.length() <= 64 && UID.matcher(uid).matches();
    }
}
