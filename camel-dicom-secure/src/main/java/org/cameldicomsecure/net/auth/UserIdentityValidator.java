package org.cameldicomsecure.net.auth;

import org.cameldicomsecure.net.pdu.UserIdentityRQ;

/**
 * Checks the User Identity sub-item (58H) of an A-ASSOCIATE-RQ (PS3.7 §D.3.3.7.1). DICOM does not say how
 * authentication is done (PS3.7 §D.3.3.7); an implementation plugs in here.
 *
 * <p>Implementations must be thread-safe: associations are negotiated concurrently. They should not throw: a
 * failed check is a {@linkplain AuthenticationResult#rejected(String) rejected} result. The
 * {@link UserIdentityPolicy} turns an unexpected exception into a rejection all the same (fail closed). Validation may
 * block (file I/O, a JWKS fetch, a KDC round trip), so callers run it off the network event loop.
 */
@FunctionalInterface
public interface UserIdentityValidator {

    /**
     * @param identity the identity the requestor sent, never {@code null}
     * @param peer     who sent it
     * @return accepted with the principal name, or rejected with a reason safe for logs
     */
    AuthenticationResult validate(UserIdentityRQ identity, AuthenticationPeer peer);
}
