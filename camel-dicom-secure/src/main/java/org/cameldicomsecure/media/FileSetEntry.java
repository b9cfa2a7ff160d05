package org.cameldicomsecure.media;

import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.dicom.DicomFile;

/** One file of a File-set: its File ID (validated) and the PS3.10 file. */
public record FileSetEntry(List<String> fileId, DicomFile file) {

    public FileSetEntry {
        FileIds.check(fileId);
        fileId = List.copyOf(fileId);
        Objects.requireNonNull(file, "file");
    }
}
