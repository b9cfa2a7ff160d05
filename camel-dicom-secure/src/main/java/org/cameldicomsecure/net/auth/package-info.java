/**
 * Acceptor-side check of a DICOM User Identity (PS3.7 §D.3.3.7, PS3.15 B.4–B.7).
 *
 * <p>An association acceptor hands the User Identity sub-item (58H) of an A-ASSOCIATE-RQ, if any, to a
 * {@link org.cameldicomsecure.net.auth.UserIdentityPolicy}. The policy applies the configured
 * {@link org.cameldicomsecure.net.auth.UserIdentityMode} and asks a pluggable
 * {@link org.cameldicomsecure.net.auth.UserIdentityValidator} whether the identity is good. Its
 * {@link org.cameldicomsecure.net.auth.UserIdentityDecision} tells the caller whether to accept the association, the
 * authenticated principal (for the {@code CamelDicomUsername} header and the audit UserID), whether to put a User
 * Identity sub-item (59H) into the A-ASSOCIATE-AC, or the A-ASSOCIATE-RJ values to reject with.
 *
 * <p>Built-in validators: {@link org.cameldicomsecure.net.auth.HtpasswdValidator} (type 2, bcrypt htpasswd file),
 * {@link org.cameldicomsecure.net.auth.JwtValidator} (type 5, RS256/ES256 JSON Web Tokens) and
 * {@link org.cameldicomsecure.net.auth.CompositeValidator} (dispatch on the identity type). Kerberos (type 3) and SAML
 * (type 4) validators are for the user to plug in.
 *
 * <p>This package uses no Camel and no Netty types. Credentials (passcodes, tokens) never appear in a
 * {@code toString()}, an exception message or a rejection reason.
 */
package org.cameldicomsecure.net.auth;
