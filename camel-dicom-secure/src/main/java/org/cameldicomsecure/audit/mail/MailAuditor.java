package org.cameldicomsecure.audit.mail;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;

/**
 * Automatic auditing of secure DICOM email (PS3.15 A.5.3, B.8).
 * <ul>
 * <li>Data Export (A.5.3.4) when instances were composed into a signed and encrypted email: this application is the
 * exporting process (the requestor, A.5.3.4.1), each recipient address a remote destination ({@code mailto:}), the
 * medium the email itself (MediaType (110031, DCM, "Email"), UserID {@code mailto:} the first recipient, A.5.2.1);
 * one object per study and per patient.</li>
 * <li>Data Import (A.5.3.5) when a mail was decrypted, its signature verified and its instances taken in: this
 * application is the importing process and the requestor, the medium the email ({@code mailto:} its sender), the
 * sender a source participant (UserID {@code mailto:} the signer's address, UserName the certificate subject).</li>
 * <li>Security Alert (A.5.3.11), outcome 4, when a mail is refused: type (110126, DCM, "Node Authentication") when
 * it could not be decrypted or its signature, signer or sender did not verify; (110132, DCM, "Use of Restricted
 * Function") when its payload was refused (not DICOM, unsafe ZIP entries, a ZIP bomb). The alert subject is the
 * sender's {@code mailto:} URI; the description says why, never with patient data.</li>
 * </ul>
 * A message that cannot be built is reported to {@code errors}, never thrown into the route.
 */
public final class MailAuditor {

    private final AuditSourceIdentification source;
    private final String localProcess;
    private final String localHost;
    private final ZoneId zone;
    private final boolean includeInstanceUids;
    private final Consumer<AuditMessage> sink;
    private final Consumer<RuntimeException> errors;

    /** See {@link org.cameldicomsecure.audit.dimse.DimseAuditor} for the parameters. */
    public MailAuditor(AuditSourceIdentification source, String localProcess, String localHost, ZoneId zone,
            boolean includeInstanceUids, Consumer<AuditMessage> sink, Consumer<RuntimeException> errors) {
        this.source = Objects.requireNonNull(source, "source");
        this.localProcess = Objects.requireNonNull(localProcess, "localProcess");
        this.localHost = localHost;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.includeInstanceUids = includeInstanceUids;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /** Instances were composed into an email to {@code recipients} (addresses, at least one). */
    public void exported(List<InstanceFacts> instances, List<String> recipients) {
        emit(() -> {
            AuditMessages.Builder b = AuditMessages.dataExport();
            b.source(Participants.application(localProcess, List.of(), localHost).requestor(true));
            for (String r : recipients) {
                b.destination(ActiveParticipant.builder(mailto(r)).requestor(false));
            }
            b.destinationMedia(Participants.media(mailto(recipients.get(0)), AuditCodes.MEDIA_EMAIL));
            objects(b, instances);
            return b.eventDateTime(now()).outcome(0).auditSource(source).build();
        });
    }

    /**
     * A mail from {@code from} (its From address, or null) was decrypted, verified and its instances taken in.
     *
     * @param signerAddress the signer certificate's address, or null
     * @param signerSubject the signer certificate's subject, or null when not signed
     */
    public void imported(List<InstanceFacts> instances, String from, String signerAddress, String signerSubject) {
        emit(() -> {
            AuditMessages.Builder b = AuditMessages.dataImport();
            b.destination(Participants.application(localProcess, List.of(), localHost).requestor(true));
            String sender = signerAddress != null ? signerAddress : from;
            b.sourceMedia(Participants.media(sender != null ? mailto(sender) : "email", AuditCodes.MEDIA_EMAIL));
            if (sender != null) {
                ActiveParticipant.Builder s = ActiveParticipant.builder(mailto(sender)).requestor(false);
                if (signerSubject != null) {
                    s.userName(signerSubject);
                }
                b.source(s);
            }
            objects(b, instances);
            return b.eventDateTime(now()).outcome(0).auditSource(source).build();
        });
    }

    /**
     * A mail was refused.
     *
     * @param from     its From address, or null when unknown
     * @param security true for a decryption, signature, trust or sender failure; false for a refused payload
     * @param why      the reason, without patient data
     */
    public void refused(String from, boolean security, String why) {
        CodedValue type = security ? AuditCodes.TYPE_NODE_AUTHENTICATION : AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION;
        emit(() -> AuditMessages.securityAlert().eventTypeCode(type)
                .user(Participants.application(localProcess, List.of(), localHost).requestor(false))
                .alertSubjectUri(from != null ? mailto(from) : "mailto:unknown", why)
                .eventDateTime(now()).outcome(4).auditSource(source).build());
    }

    private void objects(AuditMessages.Builder b, List<InstanceFacts> instances) {
        Map<String, Study.Builder> studies = new LinkedHashMap<>();
        Map<String, Patient> patients = new LinkedHashMap<>();
        for (InstanceFacts f : instances) {
            if (f.studyInstanceUid() != null) {
                studies.computeIfAbsent(f.studyInstanceUid(), Study::builder)
                        .addInstance(f.sopClassUid(), includeInstanceUids ? f.sopInstanceUid() : null);
            }
            if (f.patientId() != null) {
                patients.putIfAbsent(f.patientId(), new Patient(f.patientId(), f.patientName()));
            }
        }
        studies.values().forEach(s -> b.study(s.build(), includeInstanceUids));
        patients.values().forEach(b::patient);
    }

    private static String mailto(String address) {
        return address.startsWith("mailto:") ? address : "mailto:" + address;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(), zone);
    }

    private void emit(Supplier<AuditMessage> message) {
        try {
            sink.accept(message.get());
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }
}
