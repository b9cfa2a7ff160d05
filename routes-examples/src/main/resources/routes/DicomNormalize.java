// dicom-normalize (Java DSL, compiled at load time by camel-java-joor-dsl; the same flow as dicom-normalize.yaml and
// dicom-normalize.xml)
//
// DICOM files dropped into {{dicom.in}} (default ./dicom-in) are parsed by the DicomConverter, get the shared
// CamelDicom* headers, and are written re-encoded to {{dicom.out}}/<SOP Instance UID>.dcm (default ./dicom-out).
// Processed files move to {{dicom.in}}/.camel. Anything that is not a well-formed PS3.10 file with a valid SOP
// Instance UID moves to {{dicom.in}}/.error with one WARN line naming the problem. Log lines carry UIDs, the transfer
// syntax and the problem, never patient data.

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.component.dicom.DicomBinding;

public class DicomNormalize extends RouteBuilder {

    @Override
    public void configure() {
        onException(Exception.class)
                // the WARN line below says it all: no stack trace from the error handler
                .logExhausted(false)
                .log(LoggingLevel.WARN, "dicom-normalize",
                        "rejected ${header.CamelFileName}, moved to .error: ${exception.message}");

        from("file:{{dicom.in:dicom-in}}?moveFailed=.error&readLock=changed&readLockCheckInterval=500&readLockMinLength=0")
                .routeId("dicom-normalize")
                // body: GenericFile -> DicomFile (the converter validates); sets the CamelDicom* headers
                .bean(DicomBinding.class, "parseBody")
                .choice()
                    .when(simple("${body.isPart10()} == false"))
                        .throwException(IllegalArgumentException.class,
                                "not a PS3.10 file: no preamble and File Meta Information")
                    // the UID becomes the file name: PS3.5 9.1 syntax only, at most 64 characters
                    .when(simple("${header.CamelDicomSopInstanceUid}"
                            + " !regex '(?=.{1,64}$)(0|[1-9][0-9]*)([.](0|[1-9][0-9]*))*'"))
                        .throwException(IllegalArgumentException.class,
                                "SOP Instance UID (0008,0018) is missing or not a valid UID")
                .end()
                // body: DicomFile -> InputStream (DicomWriter); written under a dot name, then renamed
                .to("file:{{dicom.out:dicom-out}}?fileName=${header.CamelDicomSopInstanceUid}.dcm&tempPrefix=.part-")
                .log(LoggingLevel.INFO, "dicom-normalize", "normalized SOP Class ${header.CamelDicomSopClassUid}"
                        + " SOP Instance ${header.CamelDicomSopInstanceUid}"
                        + " transfer syntax ${header.CamelDicomTransferSyntaxUid}"
                        + " elements ${body.dataset().size()}");
    }
}
