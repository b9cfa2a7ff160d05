package org.cameldicomsecure.web.client;

import java.util.Objects;

/** A configured access token, sent as it is; a request refused with 401 is not sent again. */
public final class StaticTokenSource implements TokenSource {

    private final String token;

    /**
     * @throws IllegalArgumentException {@code token} is empty or holds characters a header cannot carry (RFC 6750
     *                                  §2.1 b64token)
     */
    public StaticTokenSource(String token) {
        Objects.requireNonNull(token, "token");
        ClientCredentialsTokenSource.checkToken(token, "accessToken");
        this.token = token;
    }

    /** Shorthand for {@code new StaticTokenSource(token)}. */
    public static StaticTokenSource of(String token) {
        return new StaticTokenSource(token);
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "StaticTokenSource[token hidden]";
    }
}
