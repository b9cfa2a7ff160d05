package org.cameldicomsecure.sign;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds a PKIX certification path from a certificate to one of a set of trusted certificates, with intermediates and
 * CRLs from a pool: for the signers of a Secure DICOM File and for time-stamp authorities. (DICOM signatures are
 * checked by {@link SignatureVerifier} with a path validator, whose failures name the reason, e.g. revoked.)
 */
public final class PkixPaths {

    private PkixPaths() {
    }

    /**
     * Builds the path or throws.
     *
     * @param target     the certificate to validate
     * @param anchors    the trusted certificates (not empty)
     * @param pool       intermediate certificates and CRLs the builder may use
     * @param at         the validation time, or null for now
     * @param revocation whether revocation is checked (then the pool must hold the CRLs)
     * @throws CertPathBuilderException when no valid path exists
     */
    public static void build(X509Certificate target, Collection<X509Certificate> anchors, Collection<?> pool, Date at,
            boolean revocation) throws GeneralSecurityException {
        Set<TrustAnchor> trust = new HashSet<>();
        for (X509Certificate a : anchors) {
            trust.add(new TrustAnchor(a, null));
        }
        X509CertSelector selector = new X509CertSelector();
        selector.setCertificate(target);
        PKIXBuilderParameters params = new PKIXBuilderParameters(trust, selector);
        params.setRevocationEnabled(revocation);
        if (at != null) {
            params.setDate(at);
        }
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
        CertPathBuilder.getInstance("PKIX").build(params);
    }
}
