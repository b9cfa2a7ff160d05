/**
 * OAuth 2.0 bearer tokens (RFC 6750) for the DICOMweb origin server: {@link BearerAuthenticator} validates JWT
 * access tokens (RFC 9068 profile or plain JWTs: signature, issuer, audience, expiry) and reads their scopes. Library
 * code without Camel types.
 */
package org.cameldicomsecure.web.auth;
