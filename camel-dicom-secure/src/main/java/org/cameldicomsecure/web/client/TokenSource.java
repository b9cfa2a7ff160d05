package org.cameldicomsecure.web.client;

import java.io.IOException;

/**
 * Where a {@link DicomWebClient} gets the OAuth 2.0 access token it sends as {@code Authorization: Bearer}
 * (RFC 6750 §2.1). Implementations are thread-safe. A lambda is a source whose tokens cannot be refreshed (a 401 is
 * not retried).
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * The access token to send now (a cached one while it is valid).
     *
     * @throws IOException no token can be had (the message names why, never a token or secret)
     */
    String token() throws IOException;

    /**
     * The server refused {@code token} (401): forget it, so the next {@link #token()} obtains a new one. A token
     * other than the current one (already replaced by another thread) is ignored.
     */
    default void invalidate(String token) {
    }

    /**
     * Whether {@link #invalidate} and a new {@link #token()} can give another token, so that a request refused with
     * 401 is worth sending again.
     */
    default boolean refreshable() {
        return false;
    }
}
