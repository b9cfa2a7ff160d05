package org.cameldicomsecure.deid;

import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;

/**
 * The outcome of {@link Deidentifier#deidentify}.
 *
 * @param file                      the de-identified object: a new preamble (zeros) and new File Meta Information if
 *                                  the input had them, and the de-identified data set
 * @param originalAttributes        the original value of every top-level attribute that was changed or removed (for a
 *                                  top-level sequence with changed content, the whole original sequence): the content
 *                                  of the Modified Attributes Sequence (0400,0550) item (PS3.15 E.1.1 item 1 and 5).
 *                                  Pixel Data is not included (see deid-rules.md); the Specific Character Set is, when
 *                                  the input has one, so that the text can be decoded
 * @param originalStudyInstanceUid  Study Instance UID of the input, or {@code null} if absent
 * @param originalSeriesInstanceUid Series Instance UID of the input, or {@code null} if absent
 * @param originalSopInstanceUid    SOP Instance UID of the input
 * @param studyInstanceUid          Study Instance UID of the result, or {@code null} if absent
 * @param seriesInstanceUid         Series Instance UID of the result, or {@code null} if absent
 * @param sopInstanceUid            SOP Instance UID of the result
 * @param appliedOptionCodes        CID 7050 code values of the profile and the options applied, as written into
 *                                  De-identification Method Code Sequence (0012,0064); "113100" first
 */
public record DeidentificationResult(DicomFile file, Dataset originalAttributes, String originalStudyInstanceUid,
        String originalSeriesInstanceUid, String originalSopInstanceUid, String studyInstanceUid,
        String seriesInstanceUid, String sopInstanceUid, List<String> appliedOptionCodes) {

    public DeidentificationResult {
        appliedOptionCodes = List.copyOf(appliedOptionCodes);
    }
}
