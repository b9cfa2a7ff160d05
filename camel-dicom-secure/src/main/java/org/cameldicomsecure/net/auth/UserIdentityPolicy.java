package org.cameldicomsecure.net.auth;

import java.util.Objects;

import org.cameldicomsecure.net.pdu.UserIdentityAC;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptor's decision on User Identity negotiation (PS3.7 §D.3.3.7, PS3.15 B.4–B.7) for one A-ASSOCIATE-RQ.
 *
 * <table>
 * <caption>Decisions</caption>
 * <tr><th>mode</th><th>no 58H sub-item</th><th>58H, validator accepts</th><th>58H, validator rejects</th></tr>
 * <tr><td>NONE</td><td>accept</td><td colspan="2">accept without identity; the sub-item is ignored and the validator
 * not called</td></tr>
 * <tr><td>OPTIONAL</td><td>accept</td><td>accept with principal</td><td>reject</td></tr>
 * <tr><td>REQUIRED</td><td>reject</td><td>accept with principal</td><td>reject</td></tr>
 * </table>
 *
 * <p>The AC carries a 59H sub-item only when the requestor set Positive-response-requested and the identity was
 * accepted. A validator that throws counts as a rejection. Thread-safe if the validator is.
 */
public final class UserIdentityPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(UserIdentityPolicy.class);
    private static final byte[] EMPTY = new byte[0];

    private final UserIdentityMode mode;
    private final UserIdentityValidator validator;

    /**
     * @param mode      how to treat user identity
     * @param validator checks an identity; required for OPTIONAL and REQUIRED, ignored (may be {@code null}) for NONE.
     *                  Use a {@link CompositeValidator} for several identity types.
     */
    public UserIdentityPolicy(UserIdentityMode mode, UserIdentityValidator validator) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode != UserIdentityMode.NONE && validator == null) {
            throw new IllegalArgumentException("user identity mode " + mode + " needs a validator");
        }
        this.validator = validator;
    }

    /** A policy that ignores user identity. */
    public static UserIdentityPolicy none() {
        return new UserIdentityPolicy(UserIdentityMode.NONE, null);
    }

    public UserIdentityMode mode() {
        return mode;
    }

    /**
     * @param identity the 58H sub-item of the A-ASSOCIATE-RQ, {@code null} if it had none
     * @param peer     the requestor
     */
    public UserIdentityDecision decide(UserIdentityRQ identity, AuthenticationPeer peer) {
        Objects.requireNonNull(peer, "peer");
        UserIdentityDecision d = evaluate(identity, peer);
        if (d.outcome() == UserIdentityDecision.Outcome.REJECT) {
            LOG.info("{}: user identity rejected: {}", peer, d.reason().orElse(""));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {}", peer, d);
        }
        return d;
    }

    private UserIdentityDecision evaluate(UserIdentityRQ identity, AuthenticationPeer peer) {
        if (identity == null) {
            return mode == UserIdentityMode.REQUIRED
                    ? UserIdentityDecision.reject(null, "user identity required but none offered")
                    : UserIdentityDecision.withoutIdentity(null, "no user identity offered");
        }
        UserIdentityType type = identity.type();
        if (mode == UserIdentityMode.NONE) {
            return UserIdentityDecision.withoutIdentity(type, "user identity " + type + " ignored (mode NONE)");
        }
        AuthenticationResult result;
        try {
            result = validator.validate(identity, peer);
        } catch (RuntimeException e) {
            // the message of a plugged-in validator's exception could hold anything: log its class only
            LOG.warn("{}: user identity validator {} failed with {}", peer, validator.getClass().getName(),
                    e.getClass().getName());
            return UserIdentityDecision.reject(type, "validator failed (" + e.getClass().getSimpleName() + ")");
        }
        if (result == null) {
            return UserIdentityDecision.reject(type, "validator returned no result");
        }
        if (!result.isAccepted()) {
            return UserIdentityDecision.reject(type, type + ": " + result.reason().orElse("rejected"));
        }
        String principal = result.principal().orElseThrow();
        UserIdentityAC ac = null;
        if (identity.positiveResponseRequested()) {
            // PS3.7 §D.3.3.7.2: types 1 and 2 answer with a zero-length Server-response
            boolean noResponse = type == UserIdentityType.USERNAME || type == UserIdentityType.USERNAME_AND_PASSCODE;
            ac = new UserIdentityAC(noResponse ? EMPTY : result.serverResponse());
        }
        return UserIdentityDecision.withPrincipal(type, principal, ac);
    }

    @Override
    public String toString() {
        return "UserIdentityPolicy[" + mode + (validator == null ? "" : ", " + validator) + "]";
    }
}
