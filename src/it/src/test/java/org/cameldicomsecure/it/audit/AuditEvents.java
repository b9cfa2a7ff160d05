package org.cameldicomsecure.it.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditXml;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.trail.AuditRecord;

/** Realistic audit records for the syslog ITs: PS3.15 A.5.3.7 DICOM Instances Transferred, built by the library. */
final class AuditEvents {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private AuditEvents() {
    }

    /**
     * Event {@code n}: a study with {@code instances} CT images (their UIDs listed), a patient with a non-ASCII name;
     * {@code multiLine} puts every element on a line of its own.
     */
    static AuditRecord transferred(long n, int instances, boolean multiLine) {
        Instant time = Instant.parse("2024-05-17T07:31:02.123456Z").plusMillis(n * 7);
        String study = "2.25." + (1_000_000_000L + n);
        Study.Builder s = Study.builder(study).accessionNumber("ACC" + n);
        for (int i = 1; i <= instances; i++) {
            s.addInstance(CT_IMAGE_STORAGE, study + "." + i);
        }
        AuditMessage m = AuditMessages.dicomInstancesTransferred()
                .eventDateTime(time, ZoneOffset.ofHours(2))
                .outcome(n % 10 == 0 ? EventOutcome.MINOR_FAILURE : EventOutcome.SUCCESS)
                .action(EventActionCode.CREATE)
                .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                .destination(Participants.application("gateway", List.of("GATEWAY"), "pacs.example.org"))
                .auditSource("gateway")
                .study(s.build(), true)
                .patient(new Patient("PID-" + n, "Müller^Jürgen^Ä"))
                .build();
        String xml = AuditXml.toXml(m);
        if (multiLine) {
            xml = xml.replace("><", ">\n  <") + "\n";
        }
        return new AuditRecord(UUID.randomUUID().toString(), time, "DicomInstancesTransferred",
                n % 10 == 0 ? 4 : 0, "DicomInstancesTransferred", AuditFormat.DICOM_XML,
                xml.getBytes(StandardCharsets.UTF_8));
    }
}
