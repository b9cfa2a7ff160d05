package org.cameldicomsecure.media;

import java.util.List;

/**
 * One Directory Record of a DICOMDIR (PS3.3 F.3.2.2), as far as a reader needs it.
 *
 * @param type               Directory Record Type (0004,1430), e.g. "PATIENT", "IMAGE"
 * @param referencedFileId   Referenced File ID (0004,1500) components, empty when the record references no file
 * @param sopClassUid        Referenced SOP Class UID in File (0004,1510), or null
 * @param sopInstanceUid     Referenced SOP Instance UID in File (0004,1511), or null
 * @param transferSyntaxUid  Referenced Transfer Syntax UID in File (0004,1512), or null
 */
public record DirectoryRecord(String type, List<String> referencedFileId, String sopClassUid, String sopInstanceUid,
        String transferSyntaxUid) {

    public DirectoryRecord {
        referencedFileId = referencedFileId == null ? List.of() : List.copyOf(referencedFileId);
    }

    /** Whether the record references a file. */
    public boolean referencesFile() {
        return !referencedFileId.isEmpty();
    }
}
