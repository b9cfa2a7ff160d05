package org.cameldicomsecure.tls;

/**
 * Which TLS implementation runs a profile's connections.
 *
 * <p>The profile decides the protocol versions, cipher suites, key sizes and groups; the engine only decides the
 * code that runs them. {@link #OPENSSL} is Netty's OpenSSL engine over {@code netty-tcnative-boringssl-static}
 * (BoringSSL): several times cheaper per handshake and per record than SunJSSE here. BoringSSL has no finite-field
 * DHE suites, and its TLS 1.3 suites are fixed (exactly the three AES-GCM/ChaCha20 suites of RFC 8446 that B.9-B.13
 * list), so it serves some profiles completely and others only in part.
 */
public enum TlsEngine {

    /**
     * OpenSSL where it serves every protocol version and cipher suite the JDK engine would enable for the profile
     * (so choosing it changes nothing a peer can see; B.12, the default profile, is such a profile), and the
     * profile's own JSSE provider everywhere else, or when the native library cannot be loaded on this platform.
     */
    AUTO,
    /** Always the profile's JSSE provider (SunJSSE or BCJSSE, see {@link TlsProfile#provider()}). */
    JDK,
    /**
     * Always OpenSSL (BoringSSL). The profile's suites that BoringSSL lacks (the DHE suites, Camellia, CCM) are not
     * enabled and are reported like any other suite this JVM cannot run; fails if the native library is missing.
     */
    OPENSSL
}
