package org.cameldicomsecure.media;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Implementation;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * Assigns File IDs to instances: {@code PATnnnnn/STUnnnnn/SERnnnnn/IMGnnnnn} by patient, study and series in the
 * order they first appear (deterministic for the same input order), numbered from 1 under each parent.
 *
 * <p>A bare data set gets File Meta Information (PS3.10 §7.1): File Meta Information Version 00 01, Media Storage SOP
 * Class/Instance UID from the data set's SOP Class/Instance UID, its Transfer Syntax UID and our Implementation Class
 * UID and Version Name. A PS3.10 file is kept as it is, with its (0002,0010) set to the file's transfer syntax.
 */
public final class FileSetLayout {

    private static final int MAX_PER_LEVEL = 99_999;

    private FileSetLayout() {
    }

    /**
     * @throws IllegalArgumentException when an instance lacks SOP Class UID, SOP Instance UID, Study Instance UID or
     *                                  Series Instance UID, or when a level has more than 99,999 entries
     */
    public static List<FileSetEntry> assign(List<DicomFile> instances) {
        Map<DicomFile, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < instances.size(); i++) {
            index.putIfAbsent(instances.get(i), i + 1);
        }
        Hierarchy<DicomFile> h = Hierarchy.of(instances, DicomFile::dataset, f -> "instance " + index.get(f));
        List<FileSetEntry> out = new ArrayList<>(instances.size());
        int p = 0;
        for (Hierarchy.Patient<DicomFile> patient : h.patients) {
            String pat = name("PAT", ++p);
            int s = 0;
            for (Hierarchy.Study<DicomFile> study : patient.studies) {
                String stu = name("STU", ++s);
                int r = 0;
                for (Hierarchy.Series<DicomFile> series : study.series) {
                    String ser = name("SER", ++r);
                    int n = 0;
                    for (DicomFile f : series.instances) {
                        out.add(new FileSetEntry(List.of(pat, stu, ser, name("IMG", ++n)), asPart10(f)));
                    }
                }
            }
        }
        return out;
    }

    private static String name(String prefix, int n) {
        if (n > MAX_PER_LEVEL) {
            throw new IllegalArgumentException("more than " + MAX_PER_LEVEL + " entries under one " + prefix
                    + " level of a File-set");
        }
        return prefix + String.format("%05d", n);
    }

    /** The instance as a PS3.10 file: File Meta Information made for a bare data set. */
    static DicomFile asPart10(DicomFile f) {
        if (f.isPart10()) {
            String ts = f.fileMeta().getString(Tag.TransferSyntaxUID);
            return f.transferSyntax().uid().equals(ts) ? f : f.withTransferSyntax(f.transferSyntax());
        }
        Dataset ds = f.dataset();
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, f.transferSyntax().uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, Implementation.CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, Implementation.VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, f.transferSyntax());
    }
}
