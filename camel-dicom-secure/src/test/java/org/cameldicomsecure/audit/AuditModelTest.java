package org.cameldicomsecure.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AuditModelTest {

    @Test
    void networkAccessPointTypeIsTwoForIpAddressesAndOneForNames() {
        for (String ip : List.of("192.0.2.10", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::7",
                "[2001:db8::7]", "fe80::1%eth0", "2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8")) {
            assertEquals(NetworkAccessPointType.IP_ADDRESS, NetworkAccessPoints.typeOf(ip), ip);
        }
        for (String name : List.of("pacs.example.org", "localhost", "host-1", "256.1.1.1", "1.2.3", "dead:beef",
                "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "abc")) {
            assertEquals(NetworkAccessPointType.MACHINE_NAME, NetworkAccessPoints.typeOf(name), name);
        }
        assertEquals("2001:db8::7", NetworkAccessPoints.normalize("[2001:DB8::7]"));
        assertEquals("PACS.example.org", NetworkAccessPoints.normalize("PACS.example.org"));
        ActiveParticipant p = ActiveParticipant.builder("x").networkAccessPoint("[::1]").build();
        assertEquals(NetworkAccessPointType.IP_ADDRESS, p.networkAccessPointType());
        assertEquals("::1", p.networkAccessPointId());
        assertNull(ActiveParticipant.builder("x").networkAccessPoint(null).build().networkAccessPointType());
    }

    @Test
    void aeTitles() {
        assertEquals("AETITLES=A;B", Participants.aeTitles(List.of(" A ", "B", "A", "")));
        assertNull(Participants.aeTitles(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Participants.aeTitles(List.of("A;B")));
        ActiveParticipant app = Participants.application("STORESCU", "10.0.0.1").build();
        assertEquals("STORESCU", app.userId());
        assertEquals("AETITLES=STORESCU", app.alternativeUserId());
        assertEquals(NetworkAccessPointType.IP_ADDRESS, app.networkAccessPointType());
        assertEquals("jdoe@example.org", Participants.person("jdoe", "example.org", "J").build().userId());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Participants.thisProcess("gw").build().userId());
        assertFalse(Participants.media("urn:x", AuditCodes.MEDIA_CD).build().userIsRequestor());
    }

    @Test
    void studyBuilderCountsInstancesPerSopClass() {
        Study s = Study.builder("1.2.3").addInstance("1.1", "1.1.1").addInstance("1.1", "1.1.2").addInstance("1.2", null)
                .addInstances("1.2", 3).accessionNumber("A").accessionNumber("A").accessionNumber(" ").build();
        assertEquals(2, s.sopClasses().size());
        assertEquals(new SopClass("1.1", 2, List.of("1.1.1", "1.1.2")), s.sopClasses().get(0));
        assertEquals(new SopClass("1.2", 4, List.of()), s.sopClasses().get(1));
        assertEquals(6, s.numberOfInstances());
        assertEquals(List.of("A"), s.accessionNumbers());
        assertTrue(s.toParticipantObject(false).descriptions().get(0).sopClasses().get(0).instanceUids().isEmpty());
        assertEquals(2, s.toParticipantObject(true).descriptions().get(0).sopClasses().get(0).instanceUids().size());
        assertTrue(Study.of("1.2.3").toParticipantObject().descriptions().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Study.of(" "));
        assertThrows(IllegalArgumentException.class, () -> new Patient("", "X"));
        assertFalse(new Patient("SECRET", "SECRET").toString().contains("SECRET"));
    }

    @Test
    void schemaLevelRulesInTheModel() {
        assertThrows(IllegalArgumentException.class, () -> new CodedValue("1", null, "text", null));
        assertThrows(IllegalArgumentException.class, () -> new CodedValue("1", "DCM", null, null));
        assertThrows(IllegalArgumentException.class, () -> new CodedValue(" ", "DCM", "x", null));
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> ActiveParticipant.builder("x").role(CodedValue.bare("4")).build());
        assertTrue(bare.getMessage().contains("RoleIDCode needs codeSystemName and originalText"), bare.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new ParticipantObjectIdentification("x", AuditCodes.ID_URI, null, null, null, null, "n",
                        new byte[1], null, null));
        assertTrue(both.getMessage().contains("exactly one of ParticipantObjectName and ParticipantObjectQuery"));
        assertEquals("", new ParticipantObjectIdentification("x", AuditCodes.ID_URI, null, null, null, null, null, null,
                null, null).name());
        assertThrows(IllegalArgumentException.class, () -> ActiveParticipant.builder("x")
                .networkAccessPoint(NetworkAccessPointType.IP_ADDRESS, null).build());
        assertThrows(IllegalArgumentException.class, () -> ActiveParticipant.builder("x")
                .networkAccessPoint(null, "1.2.3.4").build());
        assertThrows(IllegalArgumentException.class, () -> new SopClass("1.2", -1, null));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new AuditMessage(
                AuditSamples.message(AuditEventType.NetworkEntry).event(), List.of(), AuditSamples.source(), List.of()));
        assertTrue(none.getMessage().contains("at least one ActiveParticipant"));
    }

    @Test
    void bytesAreCopied() {
        byte[] q = {1, 2, 3};
        ParticipantObjectIdentification o = ParticipantObjectIdentification.builder("x", AuditCodes.ID_SEARCH_CRITERIA)
                .query(q).build();
        q[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, o.query());
        o.query()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, o.query());
        assertEquals(o, ParticipantObjectIdentification.builder("x", AuditCodes.ID_SEARCH_CRITERIA)
                .query(new byte[] {1, 2, 3}).build());
        ParticipantObjectDetail d = ParticipantObjectDetail.of("t", "v");
        assertEquals(d, ParticipantObjectDetail.of("t", "v"));
        assertEquals("v", d.text());
    }

    @Test
    void messageHelpers() {
        AuditMessage m = AuditSamples.message(AuditEventType.DataExport);
        assertEquals(2, m.patients().size());
        assertEquals(1, m.studies().size());
        assertEquals(0, m.outcome());
        assertFalse(m.toString().contains("PID"), m.toString());
        assertFalse(m.objects().get(0).toString().contains(AuditSamples.STUDY_UID));
    }
}
