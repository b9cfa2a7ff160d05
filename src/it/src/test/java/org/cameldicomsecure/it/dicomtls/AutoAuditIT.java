package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.audit.AuditSchemaValidation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic auditing of a dicomtls consumer (TLS, user identity) driven by DCMTK's storescu, and every A.5.3 message
 * type produced by a route from the exchanges storescu caused; every line of the audit file validates with Jing
 * against the project's copy of the PS3.15 A.5.1.1 schema.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoAuditIT {

    static final String USER = "alice";
    static final String PASSWORD = "Corr3ct-Horse";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static int port;
    static Path auditFile;
    static CamelContext camel;
    static AuditSchemaValidation schema;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        Peers.require("htpasswd", "apache2-utils");
        peers = Peers.forTest(AutoAuditIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        Peers.Result htpasswd = peers.run("htpasswd", dir, Peers.cmd("htpasswd", "-nbB", USER, PASSWORD))
                .assertSuccess();
        Path users = Files.writeString(dir.resolve("users.htpasswd"), htpasswd.out().strip() + "\n");

        schema = new AuditSchemaValidation();

        port = ItSupport.freePort();
        auditFile = dir.resolve("audit/audit.log");
        camel = new DefaultCamelContext();
        DicomAuditComponent audit = new DicomAuditComponent();
        audit.setFile(auditFile.toString());
        audit.setSpoolDirectory(dir.resolve("spool").toString());
        audit.setAuditSourceId("AUTO-AUDIT-IT");
        camel.addComponent("dicomaudit", audit);
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?" + ItSupport.keyOptions(pki, pki.server)
                + "&userIdentity=OPTIONAL&users=" + users + "&allowedCallingAets=STORESCU";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // every event type the route can make from a received instance and its headers
                from(uri)
                        .to("dicomaudit:DicomInstancesTransferred")
                        .to("dicomaudit:BeginTransferringDicomInstances")
                        .to("dicomaudit:DicomInstancesAccessed?action=R")
                        .to("dicomaudit:DicomStudyDeleted")
                        .to("dicomaudit:DataExport?media=file:/export/research")
                        .to("dicomaudit:DataImport?media=file:/import/cd1&mediaType=CD")
                        .to("dicomaudit:ProcedureRecord?action=U")
                        .to("dicomaudit:PatientRecord?action=R")
                        .to("dicomaudit:OrderRecord?action=R")
                        .setHeader("CamelDicomAuditQuery", simple("${body}", byte[].class))
                        .to("dicomaudit:Query")
                        .to("dicomaudit:UserAuthentication?eventTypeCode=Login")
                        .to("dicomaudit:SecurityAlert?eventTypeCode=UseOfRestrictedFunction")
                        .to("dicomaudit:NetworkEntry?eventTypeCode=Attach")
                        .to("dicomaudit:AuditLogUsed")
                        .to("dicomaudit:ApplicationActivity?eventTypeCode=ApplicationStart");
            }
        });
        camel.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    /** Every line of the audit file, once the trail delivered everything; each valid against the schema. */
    static List<String> lines() throws Exception {
        Thread.sleep(300);
        List<String> lines = Files.exists(auditFile) ? Files.readAllLines(auditFile, StandardCharsets.UTF_8) : List.of();
        for (String l : lines) {
            schema.assertValid(l);
        }
        return lines;
    }

    static List<String> event(List<String> lines, String code) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("<EventID csd-code=\"" + code + "\"")) {
                out.add(l);
            }
        }
        return out;
    }

    static String attr(String xml, String element, String attribute) {
        Matcher m = Pattern.compile("<" + element + "\\b[^>]*\\b" + attribute + "=\"([^\"]*)\"").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    static Peers.Result storescu(String name, ItPki.Issued client, List<String> extra, List<Path> files)
            throws Exception {
        List<String> options = new ArrayList<>(ItSupport.tls(pki, client, null));
        options.addAll(extra);
        return peers.run(name, dir, ItSupport.storescu(port, options, files));
    }

    static void awaitLines(String code, int count) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (event(lines(), code).size() < count && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void authenticatedTransferIsAuditedAutomaticallyAndEveryEventTypeValidates() throws Exception {
        List<ItData.Instance> in = ItData.write(dir.resolve("in"), "audit", 0, 3);
        List<Path> files = in.stream().map(ItData.Instance::file).toList();
        storescu("storescu-user", pki.storescu, List.of("-aet", "STORESCU", "--user", USER, "--password", PASSWORD),
                files).assertSuccess();
        awaitLines("110104", 3 + 3); // route's three + one per patient from the auditor at release
        List<String> lines = lines();

        // all 15 event types are present and valid
        for (String code : List.of("110100", "110101", "110102", "110103", "110104", "110105", "110106", "110107",
                "110108", "110109", "110110", "110111", "110112", "110113", "110114")) {
            assertTrue(!event(lines, code).isEmpty(), "event " + code + " present");
        }
        // automatic: Application Start (AE title GATEWAY), Login and Logout of alice, per-patient transfers
        assertTrue(event(lines, "110100").stream().anyMatch(x -> x.contains("AETITLES=" + GATEWAY)));
        List<String> auth = event(lines, "110114").stream().filter(x -> x.contains("UserID=\"" + USER + "\""))
                .toList();
        assertTrue(auth.stream().anyMatch(x -> x.contains("csd-code=\"110122\"")), "Login");
        assertTrue(auth.stream().anyMatch(x -> x.contains("csd-code=\"110123\"")), "Logout");
        List<String> auto = event(lines, "110104").stream().filter(x -> x.contains("NumberOfInstances")).toList();
        for (String x : auto) {
            assertEquals("R", attr(x, "EventIdentification", "EventActionCode"));
            assertTrue(x.contains("AETITLES=STORESCU"), x);
            assertTrue(x.contains("ParticipantObjectID=\"" + in.get(0).studyInstanceUid() + "\""), x);
            assertTrue(x.contains("<Encrypted>true</Encrypted>"), "a TLS transfer is marked encrypted: " + x);
        }
    }

    @Test
    @Order(2)
    void untrustedCertificateIsASecurityAlert() throws Exception {
        int before = event(lines(), "110113").size();
        List<ItData.Instance> in = ItData.write(dir.resolve("in2"), "untrusted", 0, 1);
        Peers.Result r = storescu("storescu-untrusted", pki.untrusted, List.of("-aet", "STORESCU"),
                List.of(in.get(0).file()));
        assertNotEquals(0, r.exitCode());
        awaitLines("110113", before + 1);
        String alert = last(event(lines(), "110113"));
        assertTrue(alert.contains("csd-code=\"110126\""), "Node Authentication: " + alert);
        assertEquals("4", attr(alert, "EventIdentification", "EventOutcomeIndicator"));
        assertTrue(alert.contains("ParticipantObjectID=\"127.0.0.1\""), alert);
        assertTrue(decodedDetail(alert).startsWith("TLS handshake failed"), decodedDetail(alert));
    }

    @Test
    @Order(3)
    void refusedCallingAeAndWrongPasswordAreAudited() throws Exception {
        List<String> before = lines();
        int alerts = event(before, "110113").size();
        int auths = event(before, "110114").size();
        List<ItData.Instance> in = ItData.write(dir.resolve("in3"), "refused", 0, 1);
        assertNotEquals(0, storescu("storescu-intruder", pki.storescu, List.of("-aet", "INTRUDER"),
                List.of(in.get(0).file())).exitCode());
        assertNotEquals(0, storescu("storescu-wrong-password", pki.storescu,
                List.of("-aet", "STORESCU", "--user", USER, "--password", "Wrong-Horse"),
                List.of(in.get(0).file())).exitCode());
        awaitLines("110114", auths + 1);
        List<String> lines = lines();
        String alert = last(event(lines, "110113"));
        assertEquals(alerts + 1, event(lines, "110113").size());
        assertTrue(alert.contains("csd-code=\"110126\""), alert);
        assertTrue(decodedDetail(alert).contains("INTRUDER"), decodedDetail(alert));
        String failedLogin = last(event(lines, "110114"));
        assertEquals("4", attr(failedLogin, "EventIdentification", "EventOutcomeIndicator"));
        assertTrue(failedLogin.contains("csd-code=\"110122\""), failedLogin);
    }

    @Test
    @Order(4)
    void gracefulStopEndsWithApplicationStop() throws Exception {
        camel.stop();
        List<String> lines = lines();
        assertTrue(last(lines).contains("csd-code=\"110121\""), "Application Stop is the last message");
        assertTrue(lines.size() > 20, "lines: " + lines.size());
    }

    private static String last(List<String> l) {
        return l.get(l.size() - 1);
    }

    private static String decodedDetail(String xml) {
        String v = attr(xml, "ParticipantObjectDetail", "value");
        return v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }
}
