package org.cameldicomsecure.sign;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How {@link DicomSigner} signs: profile, MAC algorithm, extra or explicit tags, purpose and certified timestamp.
 * Immutable; made with {@link #builder()}.
 */
public final class SigningOptions {

    private final SignatureProfile profile;
    private final MacAlgorithm macAlgorithm;
    private final List<Integer> tags;
    private final SignaturePurpose purpose;
    private final Timestamper timestamper;
    private final Clock clock;

    private SigningOptions(Builder b) {
        this.profile = b.profile;
        this.macAlgorithm = b.macAlgorithm;
        this.tags = List.copyOf(b.tags);
        this.purpose = b.purpose;
        this.timestamper = b.timestamper;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SignatureProfile profile() {
        return profile;
    }

    public MacAlgorithm macAlgorithm() {
        return macAlgorithm;
    }

    /** For BASE and NONE the elements to sign (empty: all signable); for the other profiles, extra elements. */
    public List<Integer> tags() {
        return tags;
    }

    /** Digital Signature Purpose, or null for none. */
    public SignaturePurpose purpose() {
        return purpose;
    }

    /** The source of certified timestamps, or null for none. */
    public Timestamper timestamper() {
        return timestamper;
    }

    public Clock clock() {
        return clock;
    }

    public static final class Builder {
        private SignatureProfile profile = SignatureProfile.BASE;
        private MacAlgorithm macAlgorithm = MacAlgorithm.SHA256;
        private List<Integer> tags = List.of();
        private SignaturePurpose purpose;
        private Timestamper timestamper;
        private Clock clock = Clock.systemDefaultZone();

        private Builder() {
        }

        public Builder profile(SignatureProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The MAC algorithm of new signatures: SHA256 (default), SHA384, SHA512 or another {@link MacAlgorithm#signingAllowed()} one. */
        public Builder macAlgorithm(MacAlgorithm macAlgorithm) {
            if (!macAlgorithm.signingAllowed()) {
                throw new IllegalArgumentException("MAC algorithm " + macAlgorithm.term()
                        + " is accepted only when verifying older signatures; sign with SHA256, SHA384 or SHA512");
            }
            this.macAlgorithm = macAlgorithm;
            return this;
        }

        public Builder tags(List<Integer> tags) {
            this.tags = List.copyOf(tags);
            return this;
        }

        public Builder purpose(SignaturePurpose purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder timestamper(Timestamper timestamper) {
            this.timestamper = timestamper;
            return this;
        }

        /** The clock of Digital Signature DateTime (its zone gives the UTC offset written). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SigningOptions build() {
            return new SigningOptions(this);
        }
    }
}
