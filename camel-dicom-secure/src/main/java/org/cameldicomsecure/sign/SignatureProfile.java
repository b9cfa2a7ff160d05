package org.cameldicomsecure.sign;

import java.util.Locale;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;

/**
 * The Digital Signature Profiles of PS3.15 Annex C, and which elements of a data set each one signs.
 *
 * <ul>
 * <li>{@link #BASE} (C.1): names no elements; a BASE signature covers every signable element of its data set.</li>
 * <li>{@link #CREATOR} (C.2), {@link #AUTHORIZATION} (C.3), {@link #SR} (C.4): exactly the attributes the profile
 * requires that are present (the generated {@link ProfileAttributeTable}), plus any tags asked for. SR signatures always
 * carry a Digital Signature Purpose; a VERIFIED report signed for purpose VERIFICATION also covers SOP Instance UID,
 * Verification Flag, Verifying Observer Sequence and Verification DateTime.</li>
 * <li>{@link #NONE}: no profile; the elements asked for, or every signable element.</li>
 * </ul>
 * The four PS3.15 profiles are RSA profiles; ECDSA keys sign only with {@code NONE}, as in DCMTK's dcmsign.
 */
public enum SignatureProfile {
    BASE(null),
    CREATOR("CREATOR"),
    AUTHORIZATION("AUTHORIZATION"),
    SR("SR"),
    NONE(null);

    private static final String SR_VERIFIED = "SR_VERIFIED";

    private final String table;

    SignatureProfile(String table) {
        this.table = table;
    }

    /** Whether only RSA keys may make signatures of this profile (PS3.15 C.1-C.4). */
    public boolean rsaOnly() {
        return this != NONE;
    }

    /** Whether the profile lists attributes that must be signed when present. */
    public boolean listsAttributes() {
        return table != null;
    }

    /**
     * Whether the profile requires {@code tag} at the level of {@code ds} to be signed when present ({@code verified}:
     * a VERIFIED SR signed for purpose VERIFICATION).
     */
    boolean requires(int tag, boolean verified) {
        if (table == null) {
            return false;
        }
        ProfileAttributeTable t = ProfileAttributeTable.standard();
        return t.requires(table, tag) || verified && this == SR && t.requires(SR_VERIFIED, tag);
    }

    /**
     * Elements a new CREATOR or AUTHORIZATION signature covers beyond the table, because DCMTK's dcmsign (whose
     * profile lists follow PS3.3 2019c) requires them with {@code --verify +pc/+pa}; PS3.15 lets a signer include more
     * than the minimum. Acquisition Date, Time, Irradiation Event UID and Images in Acquisition were in the General
     * Image Module then (General Acquisition Module now); Image Orientation (Slide) in the Segmentation Image Module;
     * the others (CREATOR) in the Encapsulated Document Module before 2024b named the Encapsulated Document Series one.
     */
    private static final java.util.Set<Integer> DCMTK_BOTH = java.util.Set.of(0x00080022, 0x00080032, 0x00083010,
            0x00201002, 0x00480102);
    private static final java.util.Set<Integer> DCMTK_CREATOR = java.util.Set.of(0x0040E001, 0x0040E008, 0x00420010,
            0x00420013, 0x00420014, 0x00420015);
    private static final int CREATOR_VERSION_UID = 0x00089123;

    /**
     * Whether a new signature of this profile covers {@code tag} of {@code ds}: what {@link #requires} demands, plus
     * what DCMTK's profile checks demand (see above), including, as DCMTK reads the Raw Data Module's "any Private
     * Attributes" row, every private element when Creator Version UID (0008,9123) is present.
     */
    boolean signs(Dataset ds, int tag, boolean verified) {
        if (requires(tag, verified)) {
            return true;
        }
        if (this != CREATOR && this != AUTHORIZATION) {
            return false;
        }
        if (DCMTK_BOTH.contains(tag) || this == CREATOR && DCMTK_CREATOR.contains(tag)) {
            return true;
        }
        return Tag.isPrivate(tag) && ds.contains(CREATOR_VERSION_UID);
    }

    /** Whether {@code ds} is a VERIFIED report (Verification Flag (0040,A493)). */
    static boolean verifiedReport(Dataset ds) {
        String flag = ds.getString(Tag.VerificationFlag);
        return flag != null && "VERIFIED".equals(flag.trim());
    }

    /**
     * The profile named {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the text and the profiles
     */
    public static SignatureProfile parse(String text) {
        if (text != null) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("unknown signature profile \"" + text
                + "\": BASE, CREATOR, AUTHORIZATION, SR (PS3.15 C.1-C.4) or NONE");
    }
}
