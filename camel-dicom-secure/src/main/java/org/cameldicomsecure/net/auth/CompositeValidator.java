package org.cameldicomsecure.net.auth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;

/**
 * Hands each identity to the validator configured for its User-Identity-Type; other types are rejected.
 *
 * <pre>{@code
 * UserIdentityValidator v = CompositeValidator.builder()
 *         .on(UserIdentityType.USERNAME_AND_PASSCODE, HtpasswdValidator.load(htpasswd))
 *         .on(UserIdentityType.JWT, jwtValidator)
 *         .build();
 * }</pre>
 */
public final class CompositeValidator implements UserIdentityValidator {

    private final Map<UserIdentityType, UserIdentityValidator> byType;

    private CompositeValidator(Map<UserIdentityType, UserIdentityValidator> byType) {
        this.byType = Collections.unmodifiableMap(new EnumMap<>(byType));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult validate(UserIdentityRQ identity, AuthenticationPeer peer) {
        UserIdentityValidator v = byType.get(identity.type());
        if (v == null) {
            return AuthenticationResult.rejected("user identity type " + identity.type().value() + " ("
                    + identity.type() + ") not supported; configured: " + byType.keySet());
        }
        return v.validate(identity, peer);
    }

    /** The types this validator dispatches. */
    public java.util.Set<UserIdentityType> types() {
        return byType.keySet();
    }

    @Override
    public String toString() {
        return "CompositeValidator" + byType;
    }

    /** Collects one validator per type. */
    public static final class Builder {
        private final Map<UserIdentityType, UserIdentityValidator> byType = new EnumMap<>(UserIdentityType.class);

        private Builder() {
        }

        /** Validates identities of {@code type} with {@code validator}; a type can be configured once only. */
        public Builder on(UserIdentityType type, UserIdentityValidator validator) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(validator, "validator");
            if (byType.putIfAbsent(type, validator) != null) {
                throw new IllegalArgumentException("a validator for " + type + " is already configured");
            }
            return this;
        }

        public CompositeValidator build() {
            if (byType.isEmpty()) {
                throw new IllegalStateException("no validator configured");
            }
            return new CompositeValidator(byType);
        }
    }
}
