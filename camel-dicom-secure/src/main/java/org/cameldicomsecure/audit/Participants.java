package org.cameldicomsecure.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Starts {@link ActiveParticipant.Builder}s for the usual kinds of participant (A.5.2.1–A.5.2.3). The message
 * builders of {@link AuditMessages} add the Role ID codes their slot requires.
 */
public final class Participants {

    private Participants() {
    }

    /**
     * A DICOM application: UserID as given (a process identifier of the local logs, A.5.2.1), AlternativeUserID
     * {@code AETITLES=ae1;ae2} (A.5.2.2), NetworkAccessPoint from {@code hostOrAddress}: type 2 for an IP address
     * literal, type 1 for a machine or DNS name (none when null).
     */
    public static ActiveParticipant.Builder application(String userId, Collection<String> aeTitles,
            String hostOrAddress) {
        return ActiveParticipant.builder(userId).alternativeUserId(aeTitles(aeTitles))
                .networkAccessPoint(hostOrAddress);
    }

    /** A DICOM application known by one AE title, which is also its UserID (e.g. the remote peer of an association). */
    public static ActiveParticipant.Builder application(String aeTitle, String hostOrAddress) {
        String ae = aeTitle == null ? null : aeTitle.strip();
        return application(ae, ae == null ? List.of() : List.of(ae), hostOrAddress);
    }

    /** A person: UserID {@code login@domain} (A.5.2.1), UserName the person's name (may be null). */
    public static ActiveParticipant.Builder person(String login, String domain, String name) {
        CodedValue.requireText(login, "login name");
        String userId = domain == null || domain.isBlank() ? login : login + "@" + domain;
        return ActiveParticipant.builder(userId).userName(name);
    }

    /** A person known by a UserID already in the form {@code login@domain}. */
    public static ActiveParticipant.Builder person(String userId) {
        return ActiveParticipant.builder(userId);
    }

    /** A process: UserID the identifier in the local logs (e.g. the process ID), UserName the process name. */
    public static ActiveParticipant.Builder process(String processId, String processName) {
        return ActiveParticipant.builder(processId).userName(processName);
    }

    /** A process of this JVM: UserID its PID, UserName {@code processName}. */
    public static ActiveParticipant.Builder thisProcess(String processName) {
        return process(Long.toString(ProcessHandle.current().pid()), processName);
    }

    /** A node: UserID the node name, NetworkAccessPoint from {@code hostOrAddress} (type 1 or 2). */
    public static ActiveParticipant.Builder node(String nodeName, String hostOrAddress) {
        return ActiveParticipant.builder(nodeName).networkAccessPoint(hostOrAddress);
    }

    /**
     * A medium (A.5.2.1): UserID a URI (preferred), a {@code mailto:} address or a free-text description; MediaType
     * from DCID 405 ({@link AuditCodes#CID_405}). Never the requestor.
     */
    public static ActiveParticipant.Builder media(String userId, CodedValue mediaType) {
        return ActiveParticipant.builder(userId).mediaType(mediaType).requestor(false);
    }

    /**
     * The AlternativeUserID of a DICOM application: {@code AETITLES=ae1;ae2;…} (A.5.2.2); null for no AE title. AE
     * titles are stripped of surrounding spaces; an AE title holding ';' is refused (it would break the list).
     */
    public static String aeTitles(Collection<String> aeTitles) {
        if (aeTitles == null || aeTitles.isEmpty()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (String ae : aeTitles) {
            if (ae == null || ae.isBlank()) {
                continue;
            }
            String s = ae.strip();
            if (s.indexOf(';') >= 0) {
                throw new IllegalArgumentException("an AE title in AlternativeUserID AETITLES= must not contain ';'");
            }
            if (!list.contains(s)) {
                list.add(s);
            }
        }
        return list.isEmpty() ? null : "AETITLES=" + String.join(";", list);
    }
}
