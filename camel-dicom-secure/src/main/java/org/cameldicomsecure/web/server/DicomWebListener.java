package org.cameldicomsecure.web.server;

import java.net.SocketAddress;
import java.util.List;

/**
 * Events of the origin server, for audit trails (PS3.15 Annex A.5: User Authentication, Security Alert, Begin
 * Transferring, Instances Transferred, Query). Called on server threads (event loops or workers): implementations
 * must be quick and must not throw (a throwing listener is ignored). No method receives a token.
 */
public interface DicomWebListener {

    /** A request passed the bearer-token check (only called when the operation has an authenticator). */
    default void authenticated(WebRequest request) {
    }

    /**
     * A request was refused before reaching a handler: 401/400 (token missing or invalid), 403 (scope), 413 (too
     * large), 415/400/409 (a STOW body that failed validation), 404/405/406.
     *
     * @param request the request so far (principal set for a 403 and after authentication)
     * @param reason  the problem, safe for logs
     */
    default void refused(WebRequest request, int httpStatus, String reason) {
    }

    /** Every part of a STOW-RS request was received and validated; the handler is called next for each. */
    default void instancesReceived(WebRequest request, List<StowInstance> instances) {
    }

    /**
     * A STOW-RS request was answered.
     *
     * @param outcomes one per instance, in the order of {@code instances}
     */
    default void stowCompleted(WebRequest request, List<StowInstance> instances, List<InstanceOutcome> outcomes,
            int httpStatus) {
    }

    /**
     * A WADO-RS response was sent.
     *
     * @param instances how many instances were sent
     * @param complete  false if the transfer broke off
     */
    default void retrieved(WebRequest request, WadoQuery query, int instances, boolean complete) {
    }

    /** A QIDO-RS search was answered with {@code results} matches. */
    default void queried(WebRequest request, QidoQuery query, int results) {
    }

    /** A handler failed, or a response could not be sent. */
    default void failed(WebRequest request, int httpStatus, String reason) {
    }

    /** A TLS handshake failed (a client with an old protocol, no common cipher suite, an untrusted certificate). */
    default void tlsFailed(SocketAddress peer, String why) {
    }
}
