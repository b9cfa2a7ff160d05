package org.cameldicomsecure.web.server;

import java.util.Objects;
import java.util.Set;

import org.cameldicomsecure.web.auth.BearerAuthenticator;

/**
 * What serves one {@link DicomWebOperation}: its handler ({@link StowHandler}, {@link WadoHandler} or
 * {@link QidoHandler}, matching the operation), the bearer-token check (null: no authentication) and the scopes a
 * token must grant for this operation (IHE IUA; ignored without an authenticator).
 */
public record Binding(Object handler, BearerAuthenticator authenticator, Set<String> requiredScopes) {

    public Binding {
        Objects.requireNonNull(handler, "handler");
        requiredScopes = requiredScopes == null ? Set.of() : Set.copyOf(requiredScopes);
        if (!requiredScopes.isEmpty() && authenticator == null) {
            throw new IllegalArgumentException("required scopes need a bearer authenticator");
        }
    }

    public static Binding stow(StowHandler handler, BearerAuthenticator authenticator, Set<String> requiredScopes) {
        return new Binding(handler, authenticator, requiredScopes);
    }

    public static Binding wado(WadoHandler handler, BearerAuthenticator authenticator, Set<String> requiredScopes) {
        return new Binding(handler, authenticator, requiredScopes);
    }

    public static Binding qido(QidoHandler handler, BearerAuthenticator authenticator, Set<String> requiredScopes) {
        return new Binding(handler, authenticator, requiredScopes);
    }

    void check(DicomWebOperation op) {
        Class<?> expected = switch (op) {
            case STOW -> StowHandler.class;
            case WADO -> WadoHandler.class;
            case QIDO -> QidoHandler.class;
        };
        if (!expected.isInstance(handler)) {
            throw new IllegalArgumentException(op + " needs a " + expected.getSimpleName() + ", not "
                    + handler.getClass().getName());
        }
    }
}
