package org.cameldicomsecure.it;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * UIDs the integration tests invent. All are UUID-derived UIDs under the root "2.25" (PS3.5 §B.2: "2.25." followed by
 * the UUID as one unsigned decimal integer), so they need no registered organisational root.
 */
public final class ItUids {

    /**
     * Implementation Class UID (0002,0012) that the integration tests write into File Meta Information: 2.25 followed
     * by the decimal value of the random UUID 7ca594cc-9064-434a-8f2d-c5b0f6fcd280, drawn once for this project's
     * test files (it identifies "files written by camel-dicom-secure's integration tests", not a release).
     */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.165684018462841359926092906865039823488";

    /** Implementation Version Name (0002,0013) written with {@link #IMPLEMENTATION_CLASS_UID} (SH, max. 16 chars). */
    public static final String IMPLEMENTATION_VERSION_NAME = "CDS_IT_0.1";

    private ItUids() {
    }

    /** A stable UID for {@code name}: 2.25 and the name-based (MD5, version 3) UUID of the name, in decimal. */
    public static String fromName(String name) {
        UUID u = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
