package org.cameldicomsecure.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomParseException;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.mail.smime.MimeBase64;
import org.cameldicomsecure.mail.smime.SecureMailException;
import org.cameldicomsecure.mail.smime.SmimeReader;
import org.cameldicomsecure.mail.smime.UnwrappedMail;
import org.cameldicomsecure.media.DicomDir;
import org.cameldicomsecure.media.DirectoryRecord;
import org.cameldicomsecure.media.FileIds;
import org.cameldicomsecure.media.MediaException;
import org.cameldicomsecure.media.MediaInstance;
import org.cameldicomsecure.media.MediaLimits;
import org.cameldicomsecure.media.ZipFileSetReader;

/**
 * Reads secure DICOM email (PS3.15 B.8): decrypts and verifies it with a {@link SmimeReader}, then takes the DICOM
 * instances out of the innermost entity — every {@code DICOM.ZIP} (application/zip, PS3.11 L.3.2: the File-set its
 * DICOMDIR lists, {@link ZipFileSetReader}) and every application/dicom part (PS3.12 Annex K; a DICOMDIR part among
 * them is checked as the manifest: each instance it references must be there). Other parts (the body text) are
 * ignored.
 *
 * <p>All or nothing: a mail that cannot be decrypted or verified, that holds no DICOM payload, or whose payload is not
 * DICOM, is unsafe (ZIP entries outside the File-set, ZIP bombs) or exceeds the {@link MediaLimits}, fails with a
 * {@link DicomMailException} naming the problem, and every temporary file made on the way is deleted.
 */
public final class DicomMailReader {

    private static final int MAX_DEPTH = 8;
    /** A DICOMDIR of 10,000 instances is ~4 MB. */
    private static final int MAX_DICOMDIR_BYTES = 64 << 20;

    private final SmimeReader smime;
    private final MediaLimits limits;

    public DicomMailReader(SmimeReader smime, MediaLimits limits) {
        this.smime = Objects.requireNonNull(smime, "smime");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Decrypts, verifies and unpacks {@code message}; the caller closes the result. */
    public DecodedMail read(MimeMessage message) throws DicomMailException {
        UnwrappedMail mail;
        try {
            mail = smime.read(message);
        } catch (SecureMailException e) {
            throw DicomMailException.of(e);
        }
        List<MediaInstance> instances = new ArrayList<>();
        try (UnwrappedMail m = mail) {
            Found found = new Found();
            collect(m.content(), 0, found, instances);
            if (instances.isEmpty() && found.dicomdir == null) {
                throw new DicomMailException(DicomMailException.NO_DICOM_CONTENT, false,
                        "the mail holds no DICOM content: no " + DicomMailWriter.ZIP_NAME
                                + " (application/zip) and no application/dicom part", null);
            }
            String fileSetId = null;
            if (found.dicomdir != null) {
                fileSetId = checkManifest(found.dicomdir, instances);
            }
            if (instances.isEmpty()) {
                throw new DicomMailException(DicomMailException.NO_DICOM_CONTENT, false,
                        "the mail holds a DICOMDIR but no DICOM instance", null);
            }
            String subject = null;
            String messageId = null;
            try {
                subject = message.getSubject();
                messageId = message.getMessageID();
            } catch (MessagingException e) {
                // headers that do not parse are left out
            }
            return new DecodedMail(instances, found.zip ? DicomMailFormat.ZIP : DicomMailFormat.MIME, fileSetId,
                    m.signed(), m.signer(), m.signerEmails(), m.signingTime(), m.encrypted(), m.contentEncryption(),
                    m.from(), subject, messageId, m.layers());
        } catch (DicomMailException e) {
            instances.forEach(MediaInstance::close);
            throw e;
        } catch (MediaException e) {
            instances.forEach(MediaInstance::close);
            throw DicomMailException.of(e);
        } catch (IOException | MessagingException | RuntimeException e) {
            instances.forEach(MediaInstance::close);
            throw new DicomMailException(DicomMailException.MALFORMED, false,
                    "the mail's MIME structure cannot be read: " + e.getMessage(), e);
        }
    }

    private static final class Found {
        boolean zip;
        DicomFile dicomdir;
        long bytes;
    }

    private void collect(Part part, int depth, Found found, List<MediaInstance> out)
            throws IOException, MessagingException {
        if (depth > MAX_DEPTH) {
            throw new DicomMailException(DicomMailException.MALFORMED, false,
                    "MIME parts nested deeper than " + MAX_DEPTH + " levels", null);
        }
        ContentType type = contentType(part);
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        if (base.startsWith("multipart/")) {
            Object content = part.getContent();
            if (!(content instanceof Multipart mp)) {
                throw new DicomMailException(DicomMailException.MALFORMED, false,
                        "a " + base + " part that is not a multipart", null);
            }
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                collect(child, depth + 1, found, out);
            }
        } else if (isZip(part, base, type)) {
            found.zip = true;
            List<MediaInstance> fromZip;
            try (InputStream in = decoded(part)) {
                fromZip = new ZipFileSetReader(remaining(found, out)).read(in);
            }
            out.addAll(fromZip);
            for (MediaInstance i : fromZip) {
                found.bytes += i.length();
            }
            checkTotals(found, out);
        } else if (base.equals("application/dicom")) {
            String id = type.getParameter("id");
            List<String> fileId = null;
            if (id != null) {
                try {
                    fileId = FileIds.parse(id);
                } catch (IllegalArgumentException e) {
                    fileId = null; // a bad id parameter does not make the file unusable; it is only a name
                }
            }
            if ("DICOMDIR".equalsIgnoreCase(id)) {
                if (found.dicomdir != null) {
                    throw new DicomMailException(MediaException.Reason.BAD_DICOMDIR.name(), false,
                            "more than one DICOMDIR part (PS3.12 K.1.2.1 allows one)", null);
                }
                try (InputStream in = part.getInputStream()) {
                    found.dicomdir = dicomdir(in);
                }
                return;
            }
            MediaInstance instance;
            try (InputStream in = decoded(part)) {
                instance = MediaInstance.read(in, fileId, limits);
            }
            out.add(instance);
            found.bytes += instance.length();
            checkTotals(found, out);
        }
        // any other part (text, an image preview, a signature already verified) is not DICOM content
    }

    private MediaLimits remaining(Found found, List<MediaInstance> out) throws DicomMailException {
        if (out.size() >= limits.maxInstances() || found.bytes >= limits.maxTotalBytes()) {
            throw new DicomMailException(MediaException.Reason.LIMIT_EXCEEDED.name(), false,
                    "the mail holds more DICOM content than maxInstances " + limits.maxInstances()
                            + " / maxTotalSize " + limits.maxTotalBytes() + " allow", null);
        }
        return limits.withMaxInstances(Math.max(0, limits.maxInstances() - out.size()))
                .withMaxTotalBytes(Math.max(0, limits.maxTotalBytes() - found.bytes));
    }

    private void checkTotals(Found found, List<MediaInstance> out) throws DicomMailException {
        if (out.size() > limits.maxInstances()) {
            throw new DicomMailException(MediaException.Reason.LIMIT_EXCEEDED.name(), false,
                    "the mail holds more than " + limits.maxInstances() + " DICOM instances", null);
        }
        if (found.bytes > limits.maxTotalBytes()) {
            throw new DicomMailException(MediaException.Reason.LIMIT_EXCEEDED.name(), false,
                    "the mail's DICOM content exceeds " + limits.maxTotalBytes() + " bytes", null);
        }
    }

    /** The DICOMDIR part, read into memory (at most {@link #MAX_DICOMDIR_BYTES}) and parsed. */
    private static DicomFile dicomdir(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_DICOMDIR_BYTES + 1);
        if (bytes.length > MAX_DICOMDIR_BYTES) {
            throw new DicomMailException(MediaException.Reason.LIMIT_EXCEEDED.name(), false,
                    "the DICOMDIR part is larger than " + MAX_DICOMDIR_BYTES + " bytes", null);
        }
        try {
            DicomFile f = new DicomReader().read(bytes);
            if (!f.isPart10()) {
                throw new DicomMailException(MediaException.Reason.BAD_DICOMDIR.name(), false,
                        "the DICOMDIR part is not a PS3.10 file", null);
            }
            return f;
        } catch (DicomParseException e) {
            throw new DicomMailException(MediaException.Reason.BAD_DICOMDIR.name(), false,
                    "the DICOMDIR part cannot be read: " + e.getMessage(), e);
        }
    }

    /** PS3.12 K.1.2.1: a DICOMDIR part is the manifest; each file it references must be among the parts. */
    private static String checkManifest(DicomFile dicomdirPart, List<MediaInstance> instances)
            throws MediaException, DicomMailException {
        DicomDir dir = DicomDir.parse(dicomdirPart);
        Set<String> present = new HashSet<>();
        for (MediaInstance i : instances) {
            present.add(i.sopInstanceUid());
        }
        for (DirectoryRecord r : dir.referencedFiles()) {
            if (r.sopInstanceUid() != null && !present.contains(r.sopInstanceUid())) {
                throw new DicomMailException(MediaException.Reason.MISSING_FILE.name(), false,
                        "the DICOMDIR references file " + String.join("/", r.referencedFileId())
                                + " but no application/dicom part holds it", null);
            }
        }
        return dir.fileSetId();
    }

    /** The decoded content of a part (base64 in big blocks, see {@link MimeBase64}). */
    private static InputStream decoded(Part part) throws IOException, MessagingException {
        return part instanceof MimePart mp ? MimeBase64.decodedContent(mp) : part.getInputStream();
    }

    private static boolean isZip(Part part, String base, ContentType type) throws MessagingException {
        if (base.equals("application/zip") || base.equals("application/x-zip-compressed")) {
            return true;
        }
        // some clients label the attachment application/octet-stream: its name is what PS3.11 L.3.2 fixes
        if (base.equals("application/octet-stream")) {
            String name = type.getParameter("name");
            String file = part.getFileName();
            return DicomMailWriter.ZIP_NAME.equalsIgnoreCase(name) || DicomMailWriter.ZIP_NAME.equalsIgnoreCase(file);
        }
        return false;
    }

    private static ContentType contentType(Part part) throws MessagingException, DicomMailException {
        String ct = part.getContentType();
        if (ct == null) {
            ct = "text/plain";
        }
        try {
            return new ContentType(ct);
        } catch (ParseException e) {
            throw new DicomMailException(DicomMailException.MALFORMED, false,
                    "a MIME part has an unreadable Content-Type: " + e.getMessage(), e);
        }
    }

}
