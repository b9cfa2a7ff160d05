package org.cameldicomsecure.net.auth;

import static org.cameldicomsecure.net.auth.AuthTestSupport.PEER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.cameldicomsecure.net.auth.UserIdentityDecision.Outcome;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;
import org.junit.jupiter.api.Test;

class UserIdentityPolicyTest {

    private final AtomicInteger calls = new AtomicInteger();

    /** Accepts user "alice" with passcode "pw" and any SAML assertion (answering with a fixed SAML response). */
    private final UserIdentityValidator validator = (id, peer) -> {
        calls.incrementAndGet();
        if (id.type() == UserIdentityType.SAML) {
            return AuthenticationResult.accepted("saml-user", "<samlp:Response/>".getBytes(StandardCharsets.UTF_8));
        }
        boolean ok = id.type() == UserIdentityType.USERNAME_AND_PASSCODE && id.primaryText().equals("alice")
                && new String(id.secondaryField(), StandardCharsets.UTF_8).equals("pw");
        // a validator that wrongly returns a response for type 2: the policy must not send it
        return ok ? AuthenticationResult.accepted("alice", new byte[] {1, 2, 3})
                : AuthenticationResult.rejected("bad credentials");
    };

    private static final UserIdentityRQ GOOD = UserIdentityRQ.usernamePasscode("alice", "pw", true);
    private static final UserIdentityRQ GOOD_NO_RESPONSE = UserIdentityRQ.usernamePasscode("alice", "pw", false);
    private static final UserIdentityRQ BAD = UserIdentityRQ.usernamePasscode("alice", "nope", true);

    private UserIdentityDecision decide(UserIdentityMode mode, UserIdentityRQ rq) {
        return new UserIdentityPolicy(mode, validator).decide(rq, PEER);
    }

    private static void assertRejected(UserIdentityDecision d) {
        assertEquals(Outcome.REJECT, d.outcome(), d::toString);
        assertFalse(d.isAccepted());
        assertTrue(d.principal().isEmpty());
        assertTrue(d.userIdentityAC().isEmpty());
        // PS3.7 D.3.3.7.3 and PS3.8 9.3.4 Table 9-21
        assertEquals(1, d.rejectResult(), "rejected-permanent");
        assertEquals(2, d.rejectSource(), "DICOM UL service-provider (ACSE related function)");
        assertEquals(1, d.rejectReason(), "no-reason-given");
    }

    @Test
    void noneAcceptsWithoutIdentityAndNeverCallsTheValidator() {
        UserIdentityDecision d = decide(UserIdentityMode.NONE, null);
        assertEquals(Outcome.ACCEPT_WITHOUT_IDENTITY, d.outcome());
        assertTrue(d.identityType().isEmpty());

        for (UserIdentityRQ rq : new UserIdentityRQ[] {GOOD, BAD}) {
            d = decide(UserIdentityMode.NONE, rq);
            assertEquals(Outcome.ACCEPT_WITHOUT_IDENTITY, d.outcome(), "NONE ignores any identity sent");
            assertTrue(d.principal().isEmpty());
            assertTrue(d.userIdentityAC().isEmpty(), "no 59H when the sub-item is ignored");
            assertEquals(UserIdentityType.USERNAME_AND_PASSCODE, d.identityType().orElseThrow());
        }
        assertEquals(0, calls.get());
        assertEquals(Outcome.ACCEPT_WITHOUT_IDENTITY, UserIdentityPolicy.none().decide(GOOD, PEER).outcome());
    }

    @Test
    void optionalAcceptsNoIdentityButValidatesOneThatIsSent() {
        assertEquals(Outcome.ACCEPT_WITHOUT_IDENTITY, decide(UserIdentityMode.OPTIONAL, null).outcome());
        assertEquals(0, calls.get());

        UserIdentityDecision d = decide(UserIdentityMode.OPTIONAL, GOOD);
        assertEquals(Outcome.ACCEPT_WITH_PRINCIPAL, d.outcome());
        assertEquals("alice", d.principal().orElseThrow());

        d = decide(UserIdentityMode.OPTIONAL, BAD);
        assertRejected(d);
        assertEquals("USERNAME_AND_PASSCODE: bad credentials", d.reason().orElseThrow());
        assertEquals(2, calls.get());
    }

    @Test
    void requiredRejectsMissingOrBadIdentity() {
        UserIdentityDecision d = decide(UserIdentityMode.REQUIRED, null);
        assertRejected(d);
        assertEquals("user identity required but none offered", d.reason().orElseThrow());

        assertRejected(decide(UserIdentityMode.REQUIRED, BAD));

        d = decide(UserIdentityMode.REQUIRED, GOOD);
        assertEquals(Outcome.ACCEPT_WITH_PRINCIPAL, d.outcome());
        assertEquals("alice", d.principal().orElseThrow());
        assertThrows(IllegalStateException.class, d::rejectReason);
    }

    @Test
    void acSubItemOnlyWhenPositiveResponseRequestedAndAccepted() {
        UserIdentityDecision d = decide(UserIdentityMode.REQUIRED, GOOD);
        assertEquals(0, d.userIdentityAC().orElseThrow().serverResponse().length,
                "types 1 and 2 answer with an empty server response (PS3.7 D.3.3.7.2)");

        assertTrue(decide(UserIdentityMode.REQUIRED, GOOD_NO_RESPONSE).userIdentityAC().isEmpty());
        assertTrue(decide(UserIdentityMode.OPTIONAL, BAD).userIdentityAC().isEmpty());

        UserIdentityRQ saml = new UserIdentityRQ(UserIdentityType.SAML, true,
                "<saml:Assertion/>".getBytes(StandardCharsets.UTF_8), null);
        d = decide(UserIdentityMode.REQUIRED, saml);
        assertEquals("saml-user", d.principal().orElseThrow());
        assertArrayEquals("<samlp:Response/>".getBytes(StandardCharsets.UTF_8),
                d.userIdentityAC().orElseThrow().serverResponse(), "a type 4 validator supplies the SAML response");
    }

    @Test
    void throwingValidatorRejectsWithoutItsMessage() {
        UserIdentityPolicy p = new UserIdentityPolicy(UserIdentityMode.OPTIONAL, (id, peer) -> {
            throw new IllegalStateException("leaked " + id.primaryText());
        });
        UserIdentityDecision d = p.decide(GOOD, PEER);
        assertRejected(d);
        assertEquals("validator failed (IllegalStateException)", d.reason().orElseThrow());
        assertRejected(new UserIdentityPolicy(UserIdentityMode.OPTIONAL, (id, peer) -> null).decide(GOOD, PEER));
    }

    @Test
    void optionalAndRequiredNeedAValidator() {
        assertThrows(IllegalArgumentException.class, () -> new UserIdentityPolicy(UserIdentityMode.OPTIONAL, null));
        assertThrows(IllegalArgumentException.class, () -> new UserIdentityPolicy(UserIdentityMode.REQUIRED, null));
        assertEquals(UserIdentityMode.NONE, new UserIdentityPolicy(UserIdentityMode.NONE, null).mode());
    }

    @Test
    void acceptedResultNeedsAPrincipal() {
        assertThrows(IllegalArgumentException.class, () -> AuthenticationResult.accepted(" "));
        assertThrows(IllegalArgumentException.class, () -> AuthenticationResult.accepted("u", new byte[0x10000]));
    }

    @Test
    void compositeDispatchesOnTheIdentityType() {
        UserIdentityValidator jwt = (id, peer) -> AuthenticationResult.accepted("token-user");
        CompositeValidator c = CompositeValidator.builder()
                .on(UserIdentityType.USERNAME_AND_PASSCODE, validator)
                .on(UserIdentityType.JWT, jwt)
                .build();
        UserIdentityPolicy p = new UserIdentityPolicy(UserIdentityMode.REQUIRED, c);

        assertEquals("alice", p.decide(GOOD, PEER).principal().orElseThrow());
        assertEquals("token-user", p.decide(AuthTestSupport.jwtIdentity("a.b.c", false), PEER).principal()
                .orElseThrow());
        UserIdentityDecision d = p.decide(UserIdentityRQ.username("bob", true), PEER);
        assertRejected(d);
        assertTrue(d.reason().orElseThrow().contains("type 1 (USERNAME) not supported"), d::toString);

        assertThrows(IllegalArgumentException.class,
                () -> CompositeValidator.builder().on(UserIdentityType.JWT, jwt).on(UserIdentityType.JWT, jwt));
        assertThrows(IllegalStateException.class, () -> CompositeValidator.builder().build());
    }

    @Test
    void peerNormalisesAMissingCertificateChain() {
        assertTrue(PEER.certificateChain().isEmpty());
        assertFalse(PEER.hasCertificate());
        AuthenticationPeer p = AuthenticationPeer.of("A\nB", "SCP", null, null);
        assertEquals("A?B->SCP", p.toString(), "peer-supplied text is made safe for log lines");
    }
}
