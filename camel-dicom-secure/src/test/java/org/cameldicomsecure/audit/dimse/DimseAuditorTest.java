package org.cameldicomsecure.audit.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditSchema;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.junit.jupiter.api.Test;

/** The automatic audit messages of associations (PS3.15 A.5.3), each valid against the schema. */
class DimseAuditorTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 40123);

    private final List<AuditMessage> out = new ArrayList<>();
    private final List<RuntimeException> errors = new ArrayList<>();
    private final DimseAuditor auditor = new DimseAuditor(AuditSourceIdentification.of("TEST"), "gateway-test",
            "gateway.example", ZoneId.of("Europe/Paris"), false, out::add, errors::add);

    private static AssociationInfo inbound(String user, boolean tls) {
        return new AssociationInfo("MOD->GW", false, "MOD", "GW", PEER, Map.of(), 16384, "1.2.3", null, user,
                tls ? new AssociationInfo.TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null) : null, null);
    }

    private static DimseAuditor.InstanceFacts facts(String uid, String study, String patient) {
        return new DimseAuditor.InstanceFacts(CT, uid, study, patient, "Doe^Jane", "ACC1");
    }

    private List<AuditMessage> of(AuditEventType type) {
        return out.stream().filter(m -> m.eventType() == type).toList();
    }

    @Test
    void mixedOutcomesMakeTwoMessagesPerStudyWhenTheAssociationEnds() {
        AssociationInfo a = inbound(null, true);
        auditor.beginning(a, facts("1.1", "9.1", "P1"));
        auditor.instance(a, facts("1.1", "9.1", "P1"), true);
        auditor.beginning(a, facts("1.2", "9.1", "P1"));
        auditor.instance(a, facts("1.2", "9.1", "P1"), false);
        auditor.beginning(a, facts("1.3", "9.2", "P2"));
        auditor.instance(a, facts("1.3", "9.2", "P2"), true);
        assertEquals(2, of(AuditEventType.BeginTransferringDicomInstances).size(), "one per study and patient");
        assertEquals(0, of(AuditEventType.DicomInstancesTransferred).size(), "not before the association ends");
        auditor.released(a);
        List<AuditMessage> transferred = of(AuditEventType.DicomInstancesTransferred);
        assertEquals(3, transferred.size());
        assertEquals(List.of(0, 8, 0), transferred.stream().map(AuditMessage::outcome).toList());
        for (AuditMessage m : out) {
            AuditSchema.assertValid(m);
        }
        ParticipantObjectIdentification study = transferred.get(0).studies().get(0);
        assertEquals("9.1", study.objectId());
        assertTrue(errors.isEmpty(), errors.toString());
        auditor.released(a); // a second end reports nothing again
        assertEquals(3, of(AuditEventType.DicomInstancesTransferred).size());
    }

    @Test
    void instancesWithoutStudyOrPatientAreReportedNotAudited() {
        AssociationInfo a = inbound(null, false);
        assertTrue(!auditor.beginning(a, facts("1.1", null, "P1")));
        assertTrue(!auditor.beginning(a, facts("1.2", "9.1", "")));
        auditor.instance(a, facts("1.2", "9.1", ""), true);
        auditor.released(a);
        assertEquals(2, errors.size());
        assertTrue(out.isEmpty());
        assertTrue(errors.get(1).getMessage().contains("Patient ID"));
    }

    @Test
    void authenticatedAssociationLogsInAndOut() {
        AssociationInfo a = inbound("alice", true);
        auditor.accepted(a);
        auditor.released(a);
        auditor.authenticationFailed(PEER, "MOD", "wrong password");
        List<AuditMessage> auth = of(AuditEventType.UserAuthentication);
        assertEquals(3, auth.size());
        assertTrue(auth.get(0).event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_LOGIN));
        assertTrue(auth.get(1).event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_LOGOUT));
        assertEquals(4, auth.get(2).outcome());
        for (AuditMessage m : out) {
            AuditSchema.assertValid(m);
        }
    }

    @Test
    void securityAlertsForTlsRefusedAeAndMalformedPdus() {
        auditor.tlsFailed(PEER, "TLS handshake failed: certificate_unknown");
        auditor.rejected(PEER, "INTRUDER", "GW", new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT,
                AAssociateRJ.SOURCE_SERVICE_USER, AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED), "not allowed");
        auditor.rejected(PEER, "MOD", "GW", new AAssociateRJ(AAssociateRJ.REJECTED_TRANSIENT,
                AAssociateRJ.SOURCE_SERVICE_PROVIDER_PRESENTATION, AAssociateRJ.PRESENTATION_TEMPORARY_CONGESTION),
                "busy");
        auditor.protocolError(null, PEER, "invalid PDU: length past the end");
        List<AuditMessage> alerts = of(AuditEventType.SecurityAlert);
        assertEquals(3, alerts.size(), "congestion is no security event");
        assertTrue(alerts.get(0).event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_NODE_AUTHENTICATION));
        assertTrue(alerts.get(1).event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_NODE_AUTHENTICATION));
        assertTrue(alerts.get(2).event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION));
        for (AuditMessage m : alerts) {
            assertEquals(4, m.outcome());
            assertEquals("192.0.2.7", m.objects().get(0).objectId());
            AuditSchema.assertValid(m);
        }
    }
}
