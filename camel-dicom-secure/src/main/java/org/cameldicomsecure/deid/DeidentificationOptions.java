package org.cameldicomsecure.deid;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The profile options of a {@link Deidentifier}: PS3.15 E.2 Basic Application Level Confidentiality Profile (always)
 * and the Options of E.3 that are switched on. Immutable; build with {@link #builder()}.
 *
 * <p>Each boolean names an Option of Table E.1-1 (and CID 7050): {@code retainSafePrivate} 113111,
 * {@code retainUids} 113110, {@code retainDeviceIdentity} 113109, {@code retainInstitutionIdentity} 113112,
 * {@code retainPatientCharacteristics} 113108, {@code cleanDescriptors} 113105, {@code cleanStructuredContent}
 * 113104, {@code cleanGraphics} 113103, {@code cleanPixelData} 113101, {@code cleanRecognizableVisualFeatures}
 * 113102; {@code retainLongitudinalTemporal} selects 113106 ({@link LongitudinalTemporal#FULL}) or 113107
 * ({@link LongitudinalTemporal#MODIFIED}).
 */
public final class DeidentificationOptions {

    private final boolean retainSafePrivate;
    private final boolean retainUids;
    private final boolean retainDeviceIdentity;
    private final boolean retainInstitutionIdentity;
    private final boolean retainPatientCharacteristics;
    private final boolean cleanDescriptors;
    private final boolean cleanStructuredContent;
    private final boolean cleanGraphics;
    private final boolean cleanPixelData;
    private final boolean cleanRecognizableVisualFeatures;
    private final LongitudinalTemporal retainLongitudinalTemporal;
    private final BurnedInAnnotationPolicy burnedInAnnotation;
    private final byte[] uidSecret;
    private final List<PixelMask> pixelMasks;
    private final List<X509Certificate> encryptTo;

    private DeidentificationOptions(Builder b) {
        retainSafePrivate = b.retainSafePrivate;
        retainUids = b.retainUids;
        retainDeviceIdentity = b.retainDeviceIdentity;
        retainInstitutionIdentity = b.retainInstitutionIdentity;
        retainPatientCharacteristics = b.retainPatientCharacteristics;
        cleanDescriptors = b.cleanDescriptors;
        cleanStructuredContent = b.cleanStructuredContent;
        cleanGraphics = b.cleanGraphics;
        cleanPixelData = b.cleanPixelData;
        cleanRecognizableVisualFeatures = b.cleanRecognizableVisualFeatures;
        retainLongitudinalTemporal = b.retainLongitudinalTemporal;
        burnedInAnnotation = b.burnedInAnnotation;
        uidSecret = b.uidSecret == null ? null : b.uidSecret.clone();
        pixelMasks = List.copyOf(b.pixelMasks);
        encryptTo = List.copyOf(b.encryptTo);
    }

    /** A builder with every Option off, {@link LongitudinalTemporal#OFF}, {@link BurnedInAnnotationPolicy#REJECT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.retainSafePrivate = retainSafePrivate;
        b.retainUids = retainUids;
        b.retainDeviceIdentity = retainDeviceIdentity;
        b.retainInstitutionIdentity = retainInstitutionIdentity;
        b.retainPatientCharacteristics = retainPatientCharacteristics;
        b.cleanDescriptors = cleanDescriptors;
        b.cleanStructuredContent = cleanStructuredContent;
        b.cleanGraphics = cleanGraphics;
        b.cleanPixelData = cleanPixelData;
        b.cleanRecognizableVisualFeatures = cleanRecognizableVisualFeatures;
        b.retainLongitudinalTemporal = retainLongitudinalTemporal;
        b.burnedInAnnotation = burnedInAnnotation;
        b.uidSecret = uidSecret;
        b.pixelMasks = new ArrayList<>(pixelMasks);
        b.encryptTo = new ArrayList<>(encryptTo);
        return b;
    }

    /** Retain Safe Private Option (E.3.10). */
    public boolean retainSafePrivate() {
        return retainSafePrivate;
    }

    /** Retain UIDs Option (E.3.9). */
    public boolean retainUids() {
        return retainUids;
    }

    /** Retain Device Identity Option (E.3.8). */
    public boolean retainDeviceIdentity() {
        return retainDeviceIdentity;
    }

    /** Retain Institution Identity Option (E.3.11). */
    public boolean retainInstitutionIdentity() {
        return retainInstitutionIdentity;
    }

    /** Retain Patient Characteristics Option (E.3.7). */
    public boolean retainPatientCharacteristics() {
        return retainPatientCharacteristics;
    }

    /** Clean Descriptors Option (E.3.5). */
    public boolean cleanDescriptors() {
        return cleanDescriptors;
    }

    /** Clean Structured Content Option (E.3.4). */
    public boolean cleanStructuredContent() {
        return cleanStructuredContent;
    }

    /** Clean Graphics Option (E.3.3). */
    public boolean cleanGraphics() {
        return cleanGraphics;
    }

    /** Clean Pixel Data Option (E.3.1), done with {@link #pixelMasks()}. */
    public boolean cleanPixelData() {
        return cleanPixelData;
    }

    /** Clean Recognizable Visual Features Option (E.3.2), done with {@link #pixelMasks()} only. */
    public boolean cleanRecognizableVisualFeatures() {
        return cleanRecognizableVisualFeatures;
    }

    /** Retain Longitudinal Temporal Information Options (E.3.6). */
    public LongitudinalTemporal retainLongitudinalTemporal() {
        return retainLongitudinalTemporal;
    }

    /** What to do with Burned In Annotation (0028,0301) YES when pixel data are not cleaned. */
    public BurnedInAnnotationPolicy burnedInAnnotation() {
        return burnedInAnnotation;
    }

    /**
     * The secret that keys replacement UIDs and date shifts (a copy), or {@code null}: then each {@link Deidentifier}
     * draws a random one, and UIDs are consistent only within that instance.
     */
    public byte[] uidSecret() {
        return uidSecret == null ? null : uidSecret.clone();
    }

    /** The regions to clear in the pixel data (Clean Pixel Data and Clean Recognizable Visual Features Options). */
    public List<PixelMask> pixelMasks() {
        return pixelMasks;
    }

    /** Recipients of the Encrypted Attributes Sequence (0400,0500); empty: none is written. */
    public List<X509Certificate> encryptTo() {
        return encryptTo;
    }

    /** Builds {@link DeidentificationOptions}; setters are named like the getters. Not thread-safe. */
    public static final class Builder {
        private boolean retainSafePrivate;
        private boolean retainUids;
        private boolean retainDeviceIdentity;
        private boolean retainInstitutionIdentity;
        private boolean retainPatientCharacteristics;
        private boolean cleanDescriptors;
        private boolean cleanStructuredContent;
        private boolean cleanGraphics;
        private boolean cleanPixelData;
        private boolean cleanRecognizableVisualFeatures;
        private LongitudinalTemporal retainLongitudinalTemporal = LongitudinalTemporal.OFF;
        private BurnedInAnnotationPolicy burnedInAnnotation = BurnedInAnnotationPolicy.REJECT;
        private byte[] uidSecret;
        private List<PixelMask> pixelMasks = new ArrayList<>();
        private List<X509Certificate> encryptTo = new ArrayList<>();

        private Builder() {
        }

        public Builder retainSafePrivate(boolean v) {
            retainSafePrivate = v;
            return this;
        }

        public Builder retainUids(boolean v) {
            retainUids = v;
            return this;
        }

        public Builder retainDeviceIdentity(boolean v) {
            retainDeviceIdentity = v;
            return this;
        }

        public Builder retainInstitutionIdentity(boolean v) {
            retainInstitutionIdentity = v;
            return this;
        }

        public Builder retainPatientCharacteristics(boolean v) {
            retainPatientCharacteristics = v;
            return this;
        }

        public Builder cleanDescriptors(boolean v) {
            cleanDescriptors = v;
            return this;
        }

        public Builder cleanStructuredContent(boolean v) {
            cleanStructuredContent = v;
            return this;
        }

        public Builder cleanGraphics(boolean v) {
            cleanGraphics = v;
            return this;
        }

        public Builder cleanPixelData(boolean v) {
            cleanPixelData = v;
            return this;
        }

        public Builder cleanRecognizableVisualFeatures(boolean v) {
            cleanRecognizableVisualFeatures = v;
            return this;
        }

        public Builder retainLongitudinalTemporal(LongitudinalTemporal v) {
            retainLongitudinalTemporal = Objects.requireNonNull(v, "retainLongitudinalTemporal");
            return this;
        }

        public Builder burnedInAnnotation(BurnedInAnnotationPolicy v) {
            burnedInAnnotation = Objects.requireNonNull(v, "burnedInAnnotation");
            return this;
        }

        /** At least 16 bytes, or {@code null} for a random secret per {@link Deidentifier}. */
        public Builder uidSecret(byte[] v) {
            if (v != null && v.length < 16) {
                throw new IllegalArgumentException("uidSecret must have at least 16 bytes");
            }
            uidSecret = v == null ? null : v.clone();
            return this;
        }

        public Builder pixelMasks(List<PixelMask> v) {
            pixelMasks = new ArrayList<>(Objects.requireNonNull(v, "pixelMasks"));
            return this;
        }

        public Builder encryptTo(List<X509Certificate> v) {
            encryptTo = new ArrayList<>(Objects.requireNonNull(v, "encryptTo"));
            return this;
        }

        public DeidentificationOptions build() {
            return new DeidentificationOptions(this);
        }
    }
}
