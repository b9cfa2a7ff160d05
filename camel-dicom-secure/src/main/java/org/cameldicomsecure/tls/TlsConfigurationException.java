package org.cameldicomsecure.tls;

/**
 * TLS settings that cannot work: a missing or unreadable file, a wrong password, a key that does not match its
 * certificate or is too small for the profile, an unknown or retired profile. The message names the setting and
 * the file, never a password or key material.
 */
public class TlsConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
