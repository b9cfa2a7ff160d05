package org.cameldicomsecure.component.dicomsign;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.TypeConversionException;
import org.apache.camel.support.DefaultProducer;
import org.cameldicomsecure.component.dicom.DicomBinding;
import org.cameldicomsecure.component.dicom.ReloadingValue;
import org.cameldicomsecure.component.dicom.ResultFiles;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.DicomSigner;
import org.cameldicomsecure.sign.ItemPath;
import org.cameldicomsecure.sign.ReferencedInstanceMacs;
import org.cameldicomsecure.sign.SignatureCheck;
import org.cameldicomsecure.sign.SignatureException;
import org.cameldicomsecure.sign.SignatureInfo;
import org.cameldicomsecure.sign.SignatureProfile;
import org.cameldicomsecure.sign.SignatureRemover;
import org.cameldicomsecure.sign.SignatureStatus;
import org.cameldicomsecure.sign.SignatureVerifier;
import org.cameldicomsecure.sign.SignerCredentials;
import org.cameldicomsecure.sign.SigningOptions;
import org.cameldicomsecure.sign.VerificationResult;
import org.cameldicomsecure.sign.cms.DecryptedFile;
import org.cameldicomsecure.sign.cms.SecureDicomFile;
import org.cameldicomsecure.sign.cms.SecureFileDecryptOptions;
import org.cameldicomsecure.sign.cms.SecureFileOptions;

/**
 * Runs one {@code dicomsign} operation on the body. Results that change the instance (sign, remove, encrypt, decrypt)
 * are written streaming to a temporary file, which becomes the body ({@link java.io.File}, deleted when the exchange
 * completes); if the operation fails the exchange fails, the body is left as it was and the partial file is deleted.
 */
public class DicomSignProducer extends DefaultProducer {

    private static final DicomWriter WRITER = new DicomWriter();

    private final DicomSigner signer = new DicomSigner();
    private SigningOptions signingOptions;
    private ReloadingValue<SignerCredentials> credentials;
    private ItemPath itemPath;
    private ReferencedFolder referencedInstances;
    private ReferencedFolder checkReferencedInstances;
    private ReloadingValue<SignatureVerifier> verifier;
    private boolean signatureRequired;
    private ReloadingValue<SecureFileOptions> encryption;
    private ReloadingValue<SecureFileDecryptOptions> decryption;

    public DicomSignProducer(DicomSignEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomSignEndpoint getEndpoint() {
        return (DicomSignEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomSignEndpoint e = getEndpoint();
        switch (e.operation()) {
            case "sign" -> {
                signingOptions = e.signingOptions();
                DicomSignConfiguration c = e.getConfiguration();
                credentials = new ReloadingValue<>("dicomsign:sign certificate and privateKey",
                        e.files(c.getCertificate(), c.getPrivateKey(), c.getKeyStore()), () -> signer(e));
                itemPath = e.itemPath();
                referencedInstances = folder("referencedInstances", e.getConfiguration().getReferencedInstances());
                if (referencedInstances != null && signingOptions.profile() != SignatureProfile.SR) {
                    throw new IllegalArgumentException("referencedInstances completes the evidence references of a "
                            + "report signed with profile=SR (PS3.15 A.4), not profile=" + signingOptions.profile());
                }
                if (signingOptions.profile().rsaOnly() && !"RSA".equals(credentials.get().keyAlgorithm())) {
                    throw new IllegalArgumentException("profile " + signingOptions.profile() + " is an RSA profile "
                            + "(PS3.15 C.1): an " + credentials.get().keyAlgorithm() + " key signs with profile=NONE");
                }
            }
            case "verify" -> {
                DicomSignConfiguration c = e.getConfiguration();
                verifier = new ReloadingValue<>("dicomsign:verify trustedCertificates and crlFiles",
                        e.files(c.getTrustedCertificates(), c.getCrlFiles(), c.getTimestampTrustedCertificates()),
                        () -> new SignatureVerifier(e.verificationOptions()));
                signatureRequired = c.getRequire() != null && !c.getRequire().isBlank();
                checkReferencedInstances = folder("checkReferencedInstances",
                        e.getConfiguration().getCheckReferencedInstances());
            }
            case "encrypt" -> {
                DicomSignConfiguration c = e.getConfiguration();
                encryption = new ReloadingValue<>("dicomsign:encrypt recipients", e.files(c.getRecipients(),
                        c.getCertificate(), c.getPrivateKey(), c.getKeyStore()), () -> encryptionOptions(e));
            }
            case "decrypt" -> {
                DicomSignConfiguration c = e.getConfiguration();
                decryption = new ReloadingValue<>("dicomsign:decrypt certificate and privateKey", e.files(
                        c.getCertificate(), c.getPrivateKey(), c.getTrustedCertificates()), e::decryptionOptions);
            }
            default -> {
                // remove needs nothing prepared
            }
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        switch (getEndpoint().operation()) {
            case "sign" -> sign(exchange);
            case "verify" -> verify(exchange);
            case "remove" -> remove(exchange);
            case "encrypt" -> encrypt(exchange);
            default -> decrypt(exchange);
        }
    }

    private void sign(Exchange exchange) throws Exception {
        DicomFile file = instance(exchange);
        ReferencedInstanceMacs.Result references = referencedInstances == null ? null : addReferences(exchange, file);
        SignatureInfo info;
        try {
            info = signer.sign(file.dataset(), itemPath, credentials.get(), signingOptions);
        } catch (SignatureException e) {
            if (references != null) {
                references.undo();
            }
            throw new CamelExchangeException("dicomsign:sign: " + e.getMessage(), exchange, e);
        }
        Message in = exchange.getIn();
        ResultFiles.replaceBody(exchange, writeInstance(file));
        in.setHeader(DicomSignConstants.SIGNATURE_UID, info.uid());
        in.setHeader(DicomSignConstants.SIGNATURES, List.of(describe(info, true, null, Set.of(), null)));
        uids(in, file);
    }

    /** Completes the evidence references of the report (PS3.15 A.4) from the referencedInstances folder. */
    private ReferencedInstanceMacs.Result addReferences(Exchange exchange, DicomFile file) throws CamelExchangeException {
        ReferencedInstanceMacs.Result r;
        try {
            r = ReferencedInstanceMacs.addTo(file.dataset(),
                    referencedInstances.instances(),
                    signingOptions.macAlgorithm());
        } catch (SignatureException | IOException | UncheckedIOException e) {
            throw new CamelExchangeException("dicomsign:sign: referencedInstances: " + e.getMessage(), exchange, e);
        }
        if (!r.incomplete().isEmpty()) {
            r.undo();
            throw new CamelExchangeException("dicomsign:sign: referencedInstances: the folder holds no instance with SOP "
                    + "Instance UID " + String.join(", ", r.incomplete()) + ", referenced by the report without a "
                    + "Referenced SOP Instance MAC or Referenced Digital Signature Sequence (PS3.15 A.4 wants one in "
                    + "every evidence reference)", exchange);
        }
        return r;
    }

    private void verify(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        boolean stream = in.getBody() instanceof InputStream;
        DicomFile file = instance(exchange);
        if (stream) {
            in.setBody(file); // the stream is consumed: the instance read from it goes on
        }
        VerificationResult r = verifier.get().verify(file.dataset());
        if (checkReferencedInstances != null) {
            r = withReferences(exchange, file, r);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (SignatureCheck c : r.signatures()) {
            list.add(describe(c.info(), c.valid(), c.reason(), c.profiles(), c.timestampTime()));
        }
        in.setHeader(DicomSignConstants.SIGNATURE_STATUS, r.status().name());
        in.setHeader(DicomSignConstants.SIGNATURES, list);
        if (r.reason() != null) {
            in.setHeader(DicomSignConstants.SIGNATURE_FAILURE, r.reason());
        } else {
            in.removeHeader(DicomSignConstants.SIGNATURE_FAILURE);
        }
        uids(in, file);
        boolean fails = r.status() == SignatureStatus.INVALID
                || r.status() == SignatureStatus.ABSENT && signatureRequired;
        if (fails && getEndpoint().getConfiguration().isFailOnInvalid()) {
            throw new CamelExchangeException("dicomsign:verify: " + r.status() + ": " + r.reason(), exchange);
        }
    }

    /** {@code r}, made INVALID when an evidence reference of the report fails its check (PS3.15 A.4). */
    private VerificationResult withReferences(Exchange exchange, DicomFile file, VerificationResult r)
            throws CamelExchangeException {
        List<String> problems;
        try {
            problems = ReferencedInstanceMacs.check(file.dataset(),
                    checkReferencedInstances.instances());
        } catch (IOException | UncheckedIOException e) {
            throw new CamelExchangeException("dicomsign:verify: checkReferencedInstances: " + e.getMessage(), exchange, e);
        }
        if (problems.isEmpty()) {
            return r;
        }
        String why = "evidence references (PS3.15 A.4): " + String.join("; ", problems);
        return new VerificationResult(SignatureStatus.INVALID, r.signatures(),
                r.status() == SignatureStatus.INVALID ? r.reason() + "; " + why : why);
    }

    private void remove(Exchange exchange) throws Exception {
        DicomFile file = instance(exchange);
        String uid = getEndpoint().getConfiguration().getSignatureUid();
        int removed;
        if (uid == null || uid.isBlank()) {
            removed = SignatureRemover.removeAll(file.dataset());
        } else {
            try {
                SignatureRemover.remove(file.dataset(), uid);
            } catch (SignatureException e) {
                throw new CamelExchangeException("dicomsign:remove: " + e.getMessage(), exchange, e);
            }
            removed = 1;
        }
        ResultFiles.replaceBody(exchange, writeInstance(file));
        exchange.getIn().setHeader(DicomSignConstants.SIGNATURES_REMOVED, removed);
        uids(exchange.getIn(), file);
    }

    private void encrypt(Exchange exchange) throws Exception {
        SecureFileOptions options = encryption.get();
        InputStream body = stream(exchange);
        Path out = tempFile("dicomsign-", ".p7m");
        try (InputStream in = body; OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 64 * 1024)) {
            SecureDicomFile.encrypt(in, os, options);
        } catch (Exception e) {
            Files.deleteIfExists(out);
            throw new CamelExchangeException("dicomsign:encrypt: " + e.getMessage(), exchange, e);
        }
        ResultFiles.replaceBody(exchange, out);
        exchange.getIn().setHeader(DicomSignConstants.CONTENT_CIPHER, options.cipher().toString());
        exchange.getIn().setHeader(DicomSignConstants.INNER_CONTENT, options.innerContent().name());
    }

    private void decrypt(Exchange exchange) throws Exception {
        InputStream body = stream(exchange);
        Path out = tempFile("dicomsign-", ".dcm");
        DecryptedFile result;
        try (InputStream in = body; OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 64 * 1024)) {
            result = SecureDicomFile.decrypt(in, os, decryption.get());
        } catch (Exception e) {
            Files.deleteIfExists(out);
            throw new CamelExchangeException("dicomsign:decrypt: " + e.getMessage(), exchange, e);
        }
        ResultFiles.replaceBody(exchange, out);
        Message m = exchange.getIn();
        m.setHeader(DicomSignConstants.CONTENT_CIPHER, result.contentCipher().toString());
        m.setHeader(DicomSignConstants.INNER_CONTENT, result.innerContent().name());
        if (result.signerSubject() != null) {
            m.setHeader(DicomSignConstants.CONTENT_SIGNER, result.signerSubject());
        } else {
            m.removeHeader(DicomSignConstants.CONTENT_SIGNER);
        }
    }

    private static ReferencedFolder folder(String option, String value) {
        Path dir = DicomSignEndpoint.referencedFolder(option, value);
        return dir == null ? null : new ReferencedFolder(option, dir);
    }

    private static SignerCredentials signer(DicomSignEndpoint e) {
        try {
            return e.signer();
        } catch (SignatureException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    private static SecureFileOptions encryptionOptions(DicomSignEndpoint e) {
        try {
            return e.encryptionOptions();
        } catch (SignatureException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    private static DicomFile instance(Exchange exchange) throws CamelExchangeException {
        return DicomBinding.readableInstance(exchange, "dicomsign");
    }

    private static InputStream stream(Exchange exchange) throws CamelExchangeException {
        try {
            return exchange.getIn().getMandatoryBody(InputStream.class);
        } catch (InvalidPayloadException | TypeConversionException e) {
            throw new CamelExchangeException("dicomsign: the body cannot be read as bytes: " + DicomBinding.rootMessage(e),
                    exchange, e);
        }
    }

    private Path writeInstance(DicomFile file) throws IOException {
        Path out = tempFile("dicomsign-", ".dcm");
        try {
            WRITER.write(file, out);
            return out;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    private Path tempFile(String prefix, String suffix) throws IOException {
        return ResultFiles.create(getEndpoint().workDirectory(), prefix, suffix);
    }

    private static void uids(Message in, DicomFile file) {
        String sop = file.dataset().getString(Tag.SOPInstanceUID);
        String cls = file.dataset().getString(Tag.SOPClassUID);
        if (sop != null) {
            in.setHeader(DicomSignConstants.SOP_INSTANCE_UID, sop);
        }
        if (cls != null) {
            in.setHeader(DicomSignConstants.SOP_CLASS_UID, cls);
        }
    }

    static Map<String, Object> describe(SignatureInfo info, boolean valid, String reason, Set<SignatureProfile> profiles,
            java.time.Instant timestampTime) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("location", info.location());
        m.put("uid", info.uid());
        m.put("macIdNumber", info.macIdNumber());
        m.put("dateTime", info.dateTime());
        m.put("signerSubject", info.signerSubject());
        m.put("keyAlgorithm", info.keyAlgorithm());
        m.put("macAlgorithm", info.macAlgorithm());
        m.put("purpose", info.purpose());
        Set<String> names = new TreeSet<>();
        for (SignatureProfile p : profiles) {
            names.add(p.name());
        }
        m.put("profiles", List.copyOf(names));
        m.put("timestamped", info.timestamped());
        m.put("timestampTime", timestampTime == null ? null : timestampTime.toString());
        List<String> tags = new ArrayList<>();
        for (int t : info.signedTags()) {
            tags.add(String.format("%08X", t));
        }
        m.put("signedTags", tags);
        m.put("valid", valid);
        m.put("reason", reason);
        return m;
    }
}
