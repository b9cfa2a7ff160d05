package org.cameldicomsecure.mail.smime;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimePart;

/**
 * A message {@link SmimeReader} decrypted and verified: the innermost (non-S/MIME) entity and what protected it.
 * Closing deletes the temporary files behind {@link #content()}; the content cannot be read after.
 */
public final class UnwrappedMail implements AutoCloseable {

    private final MimePart content;
    private final ContentEncryption contentEncryption;
    private final boolean encrypted;
    private final X509Certificate signer;
    private final List<X509Certificate> signerChain;
    private final List<String> signerEmails;
    private final Instant signingTime;
    private final List<String> layers;
    private final String from;
    private final List<Spill> spills;
    private final List<java.io.File> files;

    UnwrappedMail(MimePart content, boolean encrypted, ContentEncryption contentEncryption, X509Certificate signer,
            List<X509Certificate> signerChain, List<String> signerEmails, Instant signingTime, List<String> layers,
            String from, List<Spill> spills, List<java.io.File> files) {
        this.content = content;
        this.encrypted = encrypted;
        this.contentEncryption = contentEncryption;
        this.signer = signer;
        this.signerChain = List.copyOf(signerChain);
        this.signerEmails = List.copyOf(signerEmails);
        this.signingTime = signingTime;
        this.layers = List.copyOf(layers);
        this.from = from;
        this.spills = List.copyOf(spills);
        this.files = List.copyOf(files);
    }

    /** The innermost entity, the first that is not S/MIME (for DICOM email: multipart/mixed or application/zip). */
    public MimePart content() {
        return content;
    }

    /** Whether an enveloped-data or authEnveloped-data layer was decrypted. */
    public boolean encrypted() {
        return encrypted;
    }

    /** The content encryption of the innermost encrypted layer, or null if not encrypted. */
    public ContentEncryption contentEncryption() {
        return contentEncryption;
    }

    /** Whether a verified signature covers the content (or an encrypted layer holding it). */
    public boolean signed() {
        return signer != null;
    }

    /** The certificate of the signer closest to the content, or null if unsigned. */
    public X509Certificate signer() {
        return signer;
    }

    /** The signer's certificate and the other certificates of its SignedData (empty if unsigned). */
    public List<X509Certificate> signerChain() {
        return signerChain;
    }

    /** The email addresses of the signer's certificate (rfc822Name, else emailAddress of the subject). */
    public List<String> signerEmails() {
        return signerEmails;
    }

    /** The signing-time attribute of that signature, or null when absent. */
    public Instant signingTime() {
        return signingTime;
    }

    /** The S/MIME layers from the outside in, e.g. ["enveloped-data", "multipart/signed"]. */
    public List<String> layers() {
        return layers;
    }

    /** The address of the message's From header, or null. */
    public String from() {
        return from;
    }

    /** Whether any layer went through a temporary file (content above the memory threshold). */
    public boolean usedTemporaryFiles() {
        return !files.isEmpty() || spills.stream().anyMatch(s -> !s.inMemory());
    }

    /** The temporary files behind the content (for tests). */
    List<java.nio.file.Path> temporaryFiles() {
        return spills.stream().filter(s -> !s.inMemory()).map(Spill::path).toList();
    }

    @Override
    public void close() {
        for (Spill s : spills) {
            s.close();
        }
        for (java.io.File f : files) {
            f.delete();
        }
    }
}
