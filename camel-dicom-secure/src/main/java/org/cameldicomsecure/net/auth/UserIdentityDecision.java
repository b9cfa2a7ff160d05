package org.cameldicomsecure.net.auth;

import java.util.Objects;
import java.util.Optional;

import org.cameldicomsecure.net.pdu.UserIdentityAC;
import org.cameldicomsecure.net.pdu.UserIdentityType;

/**
 * What a {@link UserIdentityPolicy} decided for one A-ASSOCIATE-RQ.
 *
 * <p>On {@link Outcome#REJECT} the acceptor sends an A-ASSOCIATE-RJ with {@link #RESULT_REJECTED_PERMANENT},
 * {@link #SOURCE_SERVICE_PROVIDER_ACSE} and {@link #REASON_NO_REASON_GIVEN} (PS3.7 §D.3.3.7.3; values from PS3.8
 * §9.3.4 Table 9-21).
 */
public final class UserIdentityDecision {

    /** The three possible outcomes. */
    public enum Outcome {
        /** Accept the association; no identity was authenticated (none sent, or ignored in mode NONE). */
        ACCEPT_WITHOUT_IDENTITY,
        /** Accept the association as {@link #principal()}. */
        ACCEPT_WITH_PRINCIPAL,
        /** Reject the association with the A-ASSOCIATE-RJ values below. */
        REJECT
    }

    /**
     * PS3.8 §9.3.4 Table 9-21, Result 1 "rejected-permanent": PS3.7 §D.3.3.7.3 asks for it, since the same identity
     * fails again.
     */
    public static final int RESULT_REJECTED_PERMANENT = 1;
    /** PS3.8 §9.3.4 Table 9-21, Source 2 "DICOM UL service-provider (ACSE related function)" (PS3.7 §D.3.3.7.3). */
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    /**
     * PS3.8 §9.3.4 Table 9-21, Reason/Diag. 1 "no-reason-given". For source 2 the table allows only 1
     * "no-reason-given" and 2 "protocol-version-not-supported", and PS3.7 §D.3.3.7.3 names no value, so 1 it is.
     */
    public static final int REASON_NO_REASON_GIVEN = 1;

    private final Outcome outcome;
    private final UserIdentityType identityType;
    private final String principal;
    private final String reason;
    private final UserIdentityAC userIdentityAC;

    private UserIdentityDecision(Outcome outcome, UserIdentityType identityType, String principal, String reason,
            UserIdentityAC userIdentityAC) {
        this.outcome = outcome;
        this.identityType = identityType;
        this.principal = principal;
        this.reason = reason;
        this.userIdentityAC = userIdentityAC;
    }

    static UserIdentityDecision withoutIdentity(UserIdentityType ignoredType, String note) {
        return new UserIdentityDecision(Outcome.ACCEPT_WITHOUT_IDENTITY, ignoredType, null,
                Objects.requireNonNull(note), null);
    }

    static UserIdentityDecision withPrincipal(UserIdentityType type, String principal, UserIdentityAC ac) {
        return new UserIdentityDecision(Outcome.ACCEPT_WITH_PRINCIPAL, Objects.requireNonNull(type),
                Objects.requireNonNull(principal), null, ac);
    }

    static UserIdentityDecision reject(UserIdentityType type, String reason) {
        return new UserIdentityDecision(Outcome.REJECT, type, null, Objects.requireNonNull(reason), null);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether to send an A-ASSOCIATE-AC (as far as user identity is concerned). */
    public boolean isAccepted() {
        return outcome != Outcome.REJECT;
    }

    /** The identity type the requestor sent; empty when it sent none. */
    public Optional<UserIdentityType> identityType() {
        return Optional.ofNullable(identityType);
    }

    /** The authenticated principal, present only for {@link Outcome#ACCEPT_WITH_PRINCIPAL}. */
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    /**
     * For the log: why the identity was rejected or ignored. Empty for {@link Outcome#ACCEPT_WITH_PRINCIPAL}. Never
     * contains the passcode or the token.
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The User Identity sub-item (59H) to put into the A-ASSOCIATE-AC: present only when the requestor asked for a
     * positive response and the identity was accepted (PS3.7 §D.3.3.7, §D.3.3.7.2).
     */
    public Optional<UserIdentityAC> userIdentityAC() {
        return Optional.ofNullable(userIdentityAC);
    }

    /** A-ASSOCIATE-RJ Result for a rejection: {@link #RESULT_REJECTED_PERMANENT}. */
    public int rejectResult() {
        requireReject();
        return RESULT_REJECTED_PERMANENT;
    }

    /** A-ASSOCIATE-RJ Source for a rejection: {@link #SOURCE_SERVICE_PROVIDER_ACSE}. */
    public int rejectSource() {
        requireReject();
        return SOURCE_SERVICE_PROVIDER_ACSE;
    }

    /** A-ASSOCIATE-RJ Reason/Diag. for a rejection: {@link #REASON_NO_REASON_GIVEN}. */
    public int rejectReason() {
        requireReject();
        return REASON_NO_REASON_GIVEN;
    }

    private void requireReject() {
        if (outcome != Outcome.REJECT) {
            throw new IllegalStateException("the decision is " + outcome + ", not REJECT");
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("UserIdentityDecision[").append(outcome);
        if (identityType != null) {
            b.append(", type=").append(identityType);
        }
        if (principal != null) {
            b.append(", principal=").append(LogSafe.quote(principal));
        }
        if (reason != null) {
            b.append(", reason=").append(reason);
        }
        if (userIdentityAC != null) {
            b.append(", ac=").append(userIdentityAC);
        }
        return b.append(']').toString();
    }
}
