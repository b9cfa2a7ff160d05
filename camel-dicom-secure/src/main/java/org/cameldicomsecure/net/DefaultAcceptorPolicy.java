package org.cameldicomsecure.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.net.assoc.AcceptorPolicy;
import org.cameldicomsecure.net.assoc.Negotiation;
import org.cameldicomsecure.net.assoc.PeerInfo;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.PresentationContextAC;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.RoleSelection;
import org.cameldicomsecure.net.pdu.UserIdentityAC;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserInformation;

/**
 * The usual acceptor: checks the protocol version, application context, called and calling AE titles, the user
 * identity, and accepts each proposed presentation context whose abstract syntax and a transfer syntax are
 * supported (PS3.8 §7.1.1.13; the requestor's order of transfer syntaxes is its preference).
 */
public final class DefaultAcceptorPolicy implements AcceptorPolicy {

    /** The user identity check: returns null to reject (with {@code reason} set), or the decision. */
    @FunctionalInterface
    public interface IdentityCheck {
        /** @param identity the 58H sub-item, or null when none was sent */
        IdentityDecision check(UserIdentityRQ identity, PeerInfo peer, String callingAet);
    }

    /**
     * @param accepted       whether the association may proceed
     * @param username       the authenticated principal, or null
     * @param response       the 59H sub-item to send, or null
     * @param reason         why it was rejected (for logs; no secrets)
     */
    public record IdentityDecision(boolean accepted, String username, UserIdentityAC response, String reason) {
        public static final IdentityDecision ANONYMOUS = new IdentityDecision(true, null, null, null);
    }

    /** Identity and access checks beyond AE titles, e.g. binding the TLS certificate to the calling AE title. */
    @FunctionalInterface
    public interface PeerCheck {
        /** @return null to allow, or the reason to reject */
        String check(AAssociateRQ rq, PeerInfo peer);
    }

    private final String aeTitle;
    private final Predicate<String> abstractSyntaxes;
    private final List<String> transferSyntaxes;
    private final Set<String> allowedCallingAets;
    private final IdentityCheck identity;
    private final PeerCheck peerCheck;
    private final UserInformation userInformation;

    /**
     * @param aeTitle            the called AE title to answer to, or null to answer to any
     * @param abstractSyntaxes   which SOP classes are accepted
     * @param transferSyntaxes   accepted transfer syntaxes; empty accepts any the requestor proposes
     * @param allowedCallingAets calling AE titles allowed; empty allows any
     * @param identity           the user identity check
     * @param peerCheck          further access checks, or null
     * @param userInformation    this side's user information (maximum length, implementation)
     */
    public DefaultAcceptorPolicy(String aeTitle, Predicate<String> abstractSyntaxes, List<String> transferSyntaxes,
            Set<String> allowedCallingAets, IdentityCheck identity, PeerCheck peerCheck,
            UserInformation userInformation) {
        this.aeTitle = aeTitle;
        this.abstractSyntaxes = Objects.requireNonNull(abstractSyntaxes, "abstractSyntaxes");
        this.transferSyntaxes = List.copyOf(transferSyntaxes);
        this.allowedCallingAets = Set.copyOf(allowedCallingAets);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.peerCheck = peerCheck;
        this.userInformation = Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public Negotiation negotiate(AAssociateRQ rq, PeerInfo peer) {
        if ((rq.protocolVersion() & 1) == 0) {
            return reject(AAssociateRJ.SOURCE_SERVICE_PROVIDER_ACSE, AAssociateRJ.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED,
                    "protocol version " + rq.protocolVersion() + " not supported", false);
        }
        if (!AAssociateRQ.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return reject(AAssociateRJ.SOURCE_SERVICE_USER, AAssociateRJ.USER_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED,
                    "application context " + rq.applicationContext() + " not supported", false);
        }
        if (aeTitle != null && !aeTitle.equals(rq.calledAet())) {
            return reject(AAssociateRJ.SOURCE_SERVICE_USER, AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED,
                    "called AE title '" + rq.calledAet() + "' is not '" + aeTitle + "'", false);
        }
        if (!allowedCallingAets.isEmpty() && !allowedCallingAets.contains(rq.callingAet())) {
            return reject(AAssociateRJ.SOURCE_SERVICE_USER, AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED,
                    "calling AE title '" + rq.callingAet() + "' is not allowed", false);
        }
        if (peerCheck != null) {
            String why = peerCheck.check(rq, peer);
            if (why != null) {
                return reject(AAssociateRJ.SOURCE_SERVICE_USER, AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED,
                        why, true);
            }
        }
        IdentityDecision id = identity.check(rq.userInformation().userIdentityRQ(), peer, rq.callingAet());
        if (id == null || !id.accepted()) {
            // PS3.7 D.3.3.7.3: rejected-permanent, source "DICOM UL service-provider (ACSE related function)"
            return reject(AAssociateRJ.SOURCE_SERVICE_PROVIDER_ACSE, AAssociateRJ.ACSE_NO_REASON_GIVEN,
                    "user identity not accepted" + (id != null && id.reason() != null ? ": " + id.reason() : ""),
                    true);
        }
        List<PresentationContextAC> pcs = new ArrayList<>();
        for (PresentationContextRQ pc : rq.presentationContexts()) {
            pcs.add(negotiate(pc));
        }
        UserInformation ui = userInformation;
        if (id.response() != null) {
            ui = ui.withUserIdentityAC(id.response());
        }
        List<RoleSelection> roles = new ArrayList<>();
        for (RoleSelection r : rq.userInformation().roleSelections()) {
            // this acceptor is an SCP: it accepts the requestor as SCU only
            roles.add(new RoleSelection(r.sopClassUid(), r.scu(), false));
        }
        if (!roles.isEmpty()) {
            ui = ui.withRoleSelections(roles);
        }
        return new Negotiation.Accept(new AAssociateAC(1, rq.calledAet(), rq.callingAet(),
                AAssociateRQ.DICOM_APPLICATION_CONTEXT, pcs, ui), id.username());
    }

    private PresentationContextAC negotiate(PresentationContextRQ pc) {
        if (!abstractSyntaxes.test(pc.abstractSyntax())) {
            return new PresentationContextAC(pc.id(), PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, "");
        }
        for (String ts : pc.transferSyntaxes()) {
            if (transferSyntaxes.isEmpty() ? supported(ts) : transferSyntaxes.contains(ts)) {
                return new PresentationContextAC(pc.id(), PresentationContextAC.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextAC(pc.id(), PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, "");
    }

    private static boolean supported(String ts) {
        try {
            TransferSyntax.of(ts);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Negotiation reject(int source, int reason, String why, boolean auth) {
        return new Negotiation.Reject(new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT, source, reason), why, auth);
    }
}
