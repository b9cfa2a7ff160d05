package org.cameldicomsecure.component.dicomweb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.WebTransferSyntax;
import org.cameldicomsecure.web.server.StowInstance;

/** The instances a route hands to dicomweb (the producer's body, a WADO-RS route's answer) as sources to send. */
final class WebBodies {

    private WebBodies() {
    }

    /**
     * One element of a body as an instance to send: a DicomFile, byte[], Path, File, StowInstance or InstanceSource;
     * null for any other type. PS3.18 8.7.3: Implicit VR Little Endian and Explicit VR Big Endian are re-encoded in
     * Explicit VR Little Endian, every other transfer syntax goes byte for byte.
     *
     * @throws IOException the element is not a readable DICOM instance
     */
    static InstanceSource source(Object o) throws IOException {
        if (o instanceof InstanceSource s) {
            return s;
        } else if (o instanceof DicomFile f) {
            return WebTransferSyntax.source(f);
        } else if (o instanceof byte[] b) {
            return WebTransferSyntax.source(b);
        } else if (o instanceof Path p) {
            return WebTransferSyntax.source(p);
        } else if (o instanceof File f) {
            return WebTransferSyntax.source(f.toPath());
        } else if (o instanceof StowInstance si) {
            if (!WebTransferSyntax.usable(si.transferSyntaxUid())) {
                return WebTransferSyntax.source(si.file());
            }
            InstanceSource raw = si.path() != null ? InstanceSource.of(si.path()) : InstanceSource.of(si.bytes());
            return raw.withTransferSyntaxUid(si.transferSyntaxUid());
        }
        return null;
    }
}
