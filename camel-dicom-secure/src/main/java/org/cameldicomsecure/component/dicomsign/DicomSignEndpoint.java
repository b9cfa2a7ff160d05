package org.cameldicomsecure.component.dicomsign;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicom.ResultFiles;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.sign.ItemPath;
import org.cameldicomsecure.sign.MacAlgorithm;
import org.cameldicomsecure.sign.SignatureException;
import org.cameldicomsecure.sign.SignatureProfile;
import org.cameldicomsecure.sign.SignaturePurpose;
import org.cameldicomsecure.sign.SignatureRequirement;
import org.cameldicomsecure.sign.SignerCredentials;
import org.cameldicomsecure.sign.SigningOptions;
import org.cameldicomsecure.sign.TimestampClient;
import org.cameldicomsecure.sign.TimestampException;
import org.cameldicomsecure.sign.TimestampVerifier;
import org.cameldicomsecure.sign.VerificationOptions;
import org.cameldicomsecure.sign.cms.ContentCipher;
import org.cameldicomsecure.sign.cms.SecureDicomFile;
import org.cameldicomsecure.sign.cms.SecureFileDecryptOptions;
import org.cameldicomsecure.sign.cms.SecureFileOptions;
import org.cameldicomsecure.tls.PemFiles;

/**
 * Sign and verify DICOM digital signatures (PS3.15 Annex C; PS3.3 C.12.1.1.3), remove them, and encrypt or decrypt
 * Secure DICOM Files (PS3.10 7.4; PS3.15 D.1 Basic DICOM Media Security Profile).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicomsign", title = "DICOM Digital Signatures and Secure Files",
             syntax = "dicomsign:operation", producerOnly = true, category = { Category.SECURITY },
             headersClass = DicomSignConstants.class)
public class DicomSignEndpoint extends DefaultEndpoint {

    @UriParam
    private DicomSignConfiguration configuration;

    public DicomSignEndpoint(String uri, DicomSignComponent component, DicomSignConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public DicomSignConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomSignConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new DicomSignProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("dicomsign is a producer only: use it in to(...)");
    }

    String operation() {
        return configuration.getOperation();
    }

    SigningOptions signingOptions() {
        DicomSignConfiguration c = configuration;
        SigningOptions.Builder b = SigningOptions.builder()
                .profile(SignatureProfile.parse(c.getProfile()))
                .macAlgorithm(MacAlgorithm.of(c.getMacAlgorithm()))
                .tags(tags());
        if (c.getPurpose() != null && !c.getPurpose().isBlank()) {
            b.purpose(SignaturePurpose.parse(c.getPurpose()));
        }
        if (c.getTimestampUrl() != null && !c.getTimestampUrl().isBlank()) {
            TimestampClient client = new TimestampClient(URI.create(c.getTimestampUrl().trim()),
                    TimestampClient.DEFAULT_DIGEST_ALGORITHM, c.getTimestampPolicy(),
                    TimestampClient.DEFAULT_CONNECT_TIMEOUT, TimestampClient.DEFAULT_READ_TIMEOUT);
            b.timestamper(signature -> {
                try {
                    return client.timestamp(signature);
                } catch (TimestampException e) {
                    throw new IOException("certified timestamp from " + client.url().getHost() + ": " + e.getMessage(), e);
                }
            });
        }
        return b.build();
    }

    private List<Integer> tags() {
        List<Integer> tags = new ArrayList<>();
        for (String t : EndpointOptions.split(configuration.getTags())) {
            try {
                tags.add(Dictionary.standard().parseTag(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tags: " + e.getMessage(), e);
            }
        }
        return tags;
    }

    ItemPath itemPath() {
        return ItemPath.parse(configuration.getItemPath());
    }

    /** The signer's key and certificate, from PEM files or a PKCS12 key store. */
    SignerCredentials signer() throws SignatureException {
        DicomSignConfiguration c = configuration;
        if (c.getKeyStore() != null) {
            return fromKeyStore();
        }
        if (c.getPrivateKey() == null || c.getCertificate() == null) {
            throw new IllegalArgumentException("dicomsign:" + operation() + " needs the signer's privateKey and "
                    + "certificate (PEM files), or keyStore");
        }
        return SignerCredentials.of(privateKey(), PemFiles.readCertificates("certificate", Path.of(c.getCertificate())));
    }

    private SignerCredentials fromKeyStore() throws SignatureException {
        DicomSignConfiguration c = configuration;
        Path file = Path.of(c.getKeyStore());
        char[] pw = c.getKeyStorePassword() == null ? new char[0] : c.getKeyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            String alias = c.getKeyAlias();
            if (alias == null) {
                for (String a : Collections.list(ks.aliases())) {
                    if (ks.isKeyEntry(a)) {
                        if (alias != null) {
                            throw new IllegalArgumentException("keyStore '" + file + "' holds several keys: set keyAlias");
                        }
                        alias = a;
                    }
                }
            }
            Key key = alias == null ? null : ks.getKey(alias, pw);
            if (!(key instanceof PrivateKey pk)) {
                throw new IllegalArgumentException("keyStore '" + file + "' has no private key"
                        + (c.getKeyAlias() == null ? "" : " under alias '" + c.getKeyAlias() + "'"));
            }
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certs = ks.getCertificateChain(alias);
            if (certs != null) {
                for (Certificate cert : certs) {
                    chain.add((X509Certificate) cert);
                }
            }
            return SignerCredentials.of(pk, chain);
        } catch (IOException e) {
            throw new IllegalArgumentException("keyStore '" + file + "' cannot be read: " + e.getMessage()
                    + " (wrong keyStorePassword?)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keyStore '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private PrivateKey privateKey() {
        DicomSignConfiguration c = configuration;
        return PemFiles.readPrivateKey("privateKey", Path.of(c.getPrivateKey()), "privateKeyPassword",
                c.getPrivateKeyPassword() == null ? null : c.getPrivateKeyPassword().toCharArray());
    }

    VerificationOptions verificationOptions() {
        DicomSignConfiguration c = configuration;
        List<X509Certificate> trusted = EndpointOptions.certificates("trustedCertificates", c.getTrustedCertificates());
        List<X509Certificate> tsa = c.getTimestampTrustedCertificates() == null ? trusted
                : EndpointOptions.certificates("timestampTrustedCertificates", c.getTimestampTrustedCertificates());
        List<X509CRL> crls = EndpointOptions.crls("crlFiles", c.getCrlFiles());
        VerificationOptions.Builder b = VerificationOptions.builder().trustedCertificates(trusted).crls(crls)
                .timestampValidator((token, signature) -> {
                    try {
                        return TimestampVerifier.verify(token, signature, tsa).genTime();
                    } catch (TimestampException e) {
                        throw new SignatureException("certified timestamp: " + e.getMessage(), e);
                    }
                });
        if (c.getRequire() != null && !c.getRequire().isBlank()) {
            b.requirement(SignatureRequirement.parse(c.getRequire()));
        }
        return b.build();
    }

    SecureFileOptions encryptionOptions() throws SignatureException {
        DicomSignConfiguration c = configuration;
        SecureFileOptions.Builder b = SecureFileOptions.builder()
                .cipher(switch (EndpointOptions.choice("contentEncryption", c.getContentEncryption(), Cipher.class)) {
                    case AES128 -> ContentCipher.AES_128_CBC;
                    case AES256 -> ContentCipher.AES_256_CBC;
                })
                .keyTransport(switch (EndpointOptions.choice("keyTransport", c.getKeyTransport(), Transport.class)) {
                    case RSA_PKCS1 -> SecureDicomFile.KeyTransport.RSAES_PKCS1_V1_5;
                    case RSA_OAEP -> SecureDicomFile.KeyTransport.RSAES_OAEP;
                })
                .recipients(EndpointOptions.certificates("recipients", c.getRecipients()));
        if (c.getPassword() != null) {
            b.password(c.getPassword().toCharArray());
        }
        SecureDicomFile.InnerContent inner = EndpointOptions.choice("innerContent", c.getInnerContent(),
                SecureDicomFile.InnerContent.class);
        b.innerContent(inner);
        if (inner == SecureDicomFile.InnerContent.SIGNED) {
            SignerCredentials s = signer();
            b.signer(s.key(), s.certificate(), s.chain().subList(1, s.chain().size()).toArray(new X509Certificate[0]));
        }
        if (c.getRecipients() == null && c.getPassword() == null) {
            throw new IllegalArgumentException("dicomsign:encrypt needs recipients (PEM certificates) or a password");
        }
        return b.build();
    }

    SecureFileDecryptOptions decryptionOptions() {
        DicomSignConfiguration c = configuration;
        SecureFileDecryptOptions.Builder b = SecureFileDecryptOptions.builder();
        boolean any = false;
        if (c.getPrivateKey() != null || c.getCertificate() != null) {
            if (c.getPrivateKey() == null || c.getCertificate() == null) {
                throw new IllegalArgumentException("dicomsign:decrypt needs both privateKey and certificate of the "
                        + "recipient");
            }
            b.recipient(privateKey(), PemFiles.readCertificates("certificate", Path.of(c.getCertificate())).get(0));
            any = true;
        }
        if (c.getPassword() != null) {
            b.password(c.getPassword().toCharArray());
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("dicomsign:decrypt needs privateKey and certificate, or password");
        }
        b.trustAnchors(EndpointOptions.certificates("trustedCertificates", c.getTrustedCertificates()));
        return b.build();
    }

    /**
     * The folder of option {@code option} (referencedInstances or checkReferencedInstances), or null when the option
     * is not set.
     *
     * @throws IllegalArgumentException if it is not a folder
     */
    static Path referencedFolder(String option, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path dir = Path.of(value.trim());
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + ": '" + dir + "' is not a folder");
        }
        return dir;
    }

    /** The files of the options named (comma-separated lists split), for reloading what is made of them. */
    List<Path> files(String... values) {
        List<Path> files = new ArrayList<>();
        for (String v : values) {
            for (String f : EndpointOptions.split(v)) {
                files.add(Path.of(f));
            }
        }
        return files;
    }

    Path workDirectory() {
        return ResultFiles.directory(configuration.getWorkDirectory());
    }

    /** Values of contentEncryption. */
    enum Cipher { AES128, AES256 }

    /** Values of keyTransport. */
    enum Transport { RSA_PKCS1, RSA_OAEP }

}
