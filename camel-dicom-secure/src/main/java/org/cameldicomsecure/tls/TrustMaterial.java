package org.cameldicomsecure.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust anchors and revocation data that peer certificates are checked against: a PEM bundle or a PKCS12 trust
 * store (or the JDK's default trust when neither is set), CRL files, and optionally OCSP.
 *
 * <p>With CRL files and OCSP off, revocation is checked against the CRL files only, and strictly: every certificate
 * of the peer's path below the trust anchor must be covered by a current CRL from its issuer. With OCSP on, the
 * responder named in the certificate is asked first and the CRL files are the fallback; a status that can be
 * determined neither way fails the handshake.
 */
final class TrustMaterial {

    private final X509TrustManager trustManager;
    private final int anchors;
    private final int crls;

    private TrustMaterial(X509TrustManager trustManager, int anchors, int crls) {
        this.trustManager = trustManager;
        this.anchors = anchors;
        this.crls = crls;
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    String describe() {
        return (anchors < 0 ? "the JDK's default trust anchors" : anchors + " trust anchor(s)")
                + (crls > 0 ? ", " + crls + " CRL(s)" : "");
    }

    static TrustMaterial load(TlsSettings s) {
        KeyStore anchorsStore = null;
        int anchorCount = -1;
        if (s.trustedCertificates() != null && s.trustStore() != null) {
            throw new TlsConfigurationException("set either trustedCertificates or trustStore, not both");
        }
        try {
            if (s.trustedCertificates() != null) {
                List<X509Certificate> certs = PemFiles.readCertificates("trustedCertificates",
                        s.trustedCertificates());
                anchorsStore = KeyStore.getInstance("PKCS12");
                anchorsStore.load(null, null);
                int i = 0;
                for (X509Certificate c : certs) {
                    anchorsStore.setCertificateEntry("anchor-" + i++, c);
                }
                anchorCount = certs.size();
            } else if (s.trustStore() != null) {
                char[] pw = s.trustStorePassword() == null ? null : s.trustStorePassword().toCharArray();
                anchorsStore = KeyMaterial.loadPkcs12("trustStore", s.trustStore(), "trustStorePassword", pw);
                anchorCount = 0;
                for (String alias : Collections.list(anchorsStore.aliases())) {
                    if (anchorsStore.isCertificateEntry(alias)) {
                        anchorCount++;
                    }
                }
                if (anchorCount == 0) {
                    throw new TlsConfigurationException("trustStore file '" + s.trustStore()
                            + "' contains no trusted certificate entry (store the CA certificates as trusted "
                            + "entries, for example with keytool -importcert, or use trustedCertificates)");
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigurationException("cannot set up the trust anchors: " + e.getMessage(), e);
        }

        List<X509CRL> crlList = new ArrayList<>();
        for (Path p : s.crlFiles()) {
            crlList.addAll(PemFiles.readCrls("crlFiles", p));
        }
        boolean revocation = !crlList.isEmpty() || s.ocsp();
        if (revocation && anchorsStore == null) {
            throw new TlsConfigurationException("crlFiles and ocsp need trustedCertificates or trustStore");
        }

        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            if (anchorsStore == null) {
                tmf.init((KeyStore) null);
            } else {
                PKIXBuilderParameters params = new PKIXBuilderParameters(anchorsStore, new X509CertSelector());
                if (revocation) {
                    params.setRevocationEnabled(true);
                    if (!crlList.isEmpty()) {
                        params.addCertStore(CertStore.getInstance("Collection",
                                new CollectionCertStoreParameters(crlList)));
                    }
                    PKIXRevocationChecker checker =
                            (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX").getRevocationChecker();
                    checker.setOptions(s.ocsp() ? EnumSet.noneOf(PKIXRevocationChecker.Option.class)
                            : EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                            PKIXRevocationChecker.Option.NO_FALLBACK));
                    params.addCertPathChecker(checker);
                } else {
                    params.setRevocationEnabled(false);
                }
                tmf.init(new CertPathTrustManagerParameters(params));
            }
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return new TrustMaterial(x, anchorCount, crlList.size());
                }
            }
            throw new TlsConfigurationException("the JDK's PKIX trust manager factory returned no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot set up the trust manager: " + e.getMessage(), e);
        }
    }
}
