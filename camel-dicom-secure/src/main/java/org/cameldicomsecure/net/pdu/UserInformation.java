package org.cameldicomsecure.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * PS3.8 §9.3.2.3 / §9.3.3.3 User Information Item (50H) and its sub-items (PS3.8 Annex D, PS3.7 Annex D).
 *
 * @param maxPduLength               Maximum Length Sub-Item (51H): the largest P-DATA-TF variable field this side
 *                                   receives; 0 means unlimited
 * @param implementationClassUid     52H
 * @param implementationVersionName  55H, or {@code null}
 * @param asyncOperationsWindow      53H, or {@code null}
 * @param roleSelections             54H items
 * @param extendedNegotiations       56H items
 * @param commonExtendedNegotiations 57H items (RQ only)
 * @param userIdentityRQ             58H (RQ only), or {@code null}
 * @param userIdentityAC             59H (AC only), or {@code null}
 * @param unknownItems               sub-items of other types, kept
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
        AsyncOperationsWindow asyncOperationsWindow, List<RoleSelection> roleSelections,
        List<ExtendedNegotiation> extendedNegotiations, List<CommonExtendedNegotiation> commonExtendedNegotiations,
        UserIdentityRQ userIdentityRQ, UserIdentityAC userIdentityAC, List<UnknownItem> unknownItems) {

    public UserInformation {
        if (maxPduLength < 0 || maxPduLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maximum length is a 32-bit unsigned value: " + maxPduLength);
        }
        Objects.requireNonNull(implementationClassUid, "implementationClassUid");
        if (implementationVersionName != null && (implementationVersionName.isEmpty()
                || implementationVersionName.length() > 16)) {
            throw new IllegalArgumentException("implementation version name must have 1-16 characters");
        }
        roleSelections = List.copyOf(roleSelections);
        extendedNegotiations = List.copyOf(extendedNegotiations);
        commonExtendedNegotiations = List.copyOf(commonExtendedNegotiations);
        unknownItems = List.copyOf(unknownItems);
    }

    /** User information with the three items every association carries. */
    public static UserInformation of(long maxPduLength, String implementationClassUid, String versionName) {
        return new UserInformation(maxPduLength, implementationClassUid, versionName, null, List.of(), List.of(),
                List.of(), null, null, List.of());
    }

    public UserInformation withUserIdentityRQ(UserIdentityRQ rq) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName,
                asyncOperationsWindow, roleSelections, extendedNegotiations, commonExtendedNegotiations, rq,
                userIdentityAC, unknownItems);
    }

    public UserInformation withUserIdentityAC(UserIdentityAC ac) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName,
                asyncOperationsWindow, roleSelections, extendedNegotiations, commonExtendedNegotiations,
                userIdentityRQ, ac, unknownItems);
    }

    public UserInformation withAsyncOperationsWindow(AsyncOperationsWindow window) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName, window,
                roleSelections, extendedNegotiations, commonExtendedNegotiations, userIdentityRQ, userIdentityAC,
                unknownItems);
    }

    public UserInformation withRoleSelections(List<RoleSelection> roles) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName,
                asyncOperationsWindow, roles, extendedNegotiations, commonExtendedNegotiations, userIdentityRQ,
                userIdentityAC, unknownItems);
    }
}
