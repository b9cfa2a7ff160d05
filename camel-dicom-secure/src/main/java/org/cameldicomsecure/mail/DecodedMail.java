package org.cameldicomsecure.mail;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.cameldicomsecure.mail.smime.ContentEncryption;
import org.cameldicomsecure.media.MediaInstance;

/**
 * A secure DICOM email that was decrypted, verified and unpacked: its instances (each in memory or in a temporary
 * file; {@link #close()} deletes what is not {@linkplain MediaInstance#detach() detached}) and who sent it.
 *
 * @param instances         the DICOM instances, in the order of the File-set (the DICOMDIR itself not included)
 * @param format            how they travelled
 * @param fileSetId         the File-set ID of the DICOMDIR, or null (MIME format without DICOMDIR)
 * @param signed            whether a signature was verified
 * @param signer            the signer's certificate (null if not signed)
 * @param signerEmails      the email addresses of the signer's certificate
 * @param signingTime       the signing time the signer claims, or null
 * @param encrypted         whether the mail was encrypted
 * @param contentEncryption the content encryption algorithm, or null
 * @param from              the From address of the message, or null
 * @param subject           the subject, or null
 * @param messageId         the Message-ID, or null
 * @param layers            the S/MIME layers from the outside in (e.g. enveloped-data, multipart/signed)
 */
public record DecodedMail(List<MediaInstance> instances, DicomMailFormat format, String fileSetId, boolean signed,
        X509Certificate signer, List<String> signerEmails, Instant signingTime, boolean encrypted,
        ContentEncryption contentEncryption, String from, String subject, String messageId, List<String> layers)
        implements AutoCloseable {

    public DecodedMail {
        instances = List.copyOf(instances);
        signerEmails = List.copyOf(signerEmails);
        layers = List.copyOf(layers);
    }

    /** The signer's subject name (RFC 2253), or null. */
    public String signerSubject() {
        return signer == null ? null : signer.getSubjectX500Principal().getName();
    }

    @Override
    public void close() {
        instances.forEach(MediaInstance::close);
    }

    @Override
    public String toString() {
        return "DecodedMail[" + instances.size() + " instances, " + format + ", signed " + signed + ", encrypted "
                + encrypted + "]";
    }
}
