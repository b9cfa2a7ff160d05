package org.cameldicomsecure.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ActiveParticipant of an audit message: a person, process, node or medium that took part in the event.
 *
 * @param userId                  the UserID, required (A.5.2.1: {@code login@domain} for a person, a process ID, a
 *                                node name, or for media a URI)
 * @param alternativeUserId       the AlternativeUserID, or null ({@code AETITLES=a;b} for a DICOM application)
 * @param userName                the UserName, or null
 * @param userIsRequestor         the UserIsRequestor
 * @param roleIdCodes             the RoleIDCodes (DCID 402), possibly empty
 * @param networkAccessPointType  the NetworkAccessPointTypeCode, or null; given together with the ID
 * @param networkAccessPointId    the NetworkAccessPointID, or null; given together with the type
 * @param mediaType               the MediaType (DCID 405) of the MediaIdentifier, or null for no MediaIdentifier
 */
public record ActiveParticipant(String userId, String alternativeUserId, String userName, boolean userIsRequestor,
        List<CodedValue> roleIdCodes, NetworkAccessPointType networkAccessPointType, String networkAccessPointId,
        CodedValue mediaType) {

    public ActiveParticipant {
        CodedValue.requireText(userId, "UserID");
        roleIdCodes = roleIdCodes == null ? List.of() : List.copyOf(roleIdCodes);
        for (CodedValue c : roleIdCodes) {
            CodedValue.requireFull(c, "RoleIDCode");
        }
        if ((networkAccessPointType == null) != (networkAccessPointId == null || networkAccessPointId.isBlank())) {
            throw new IllegalArgumentException("NetworkAccessPointTypeCode and NetworkAccessPointID are given together "
                    + "or not at all");
        }
        if (mediaType != null) {
            CodedValue.requireFull(mediaType, "MediaType");
        }
    }

    /** True when one of the RoleIDCodes has the code and scheme of {@code role}. */
    public boolean hasRole(CodedValue role) {
        return roleIdCodes.stream().anyMatch(role::sameCode);
    }

    /** A builder starting from this participant. */
    public Builder toBuilder() {
        Builder b = new Builder(userId).alternativeUserId(alternativeUserId).userName(userName)
                .requestor(userIsRequestor).mediaType(mediaType);
        b.roles.addAll(roleIdCodes);
        b.napType = networkAccessPointType;
        b.napId = networkAccessPointId;
        return b;
    }

    /** A builder of a participant with the given UserID. */
    public static Builder builder(String userId) {
        return new Builder(userId);
    }

    /** Builds an {@link ActiveParticipant}. */
    public static final class Builder {
        private String userId;
        private String alternativeUserId;
        private String userName;
        private boolean requestor;
        private final List<CodedValue> roles = new ArrayList<>();
        private NetworkAccessPointType napType;
        private String napId;
        private CodedValue mediaType;

        private Builder(String userId) {
            this.userId = userId;
        }

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder alternativeUserId(String v) {
            alternativeUserId = v;
            return this;
        }

        public Builder userName(String v) {
            userName = v;
            return this;
        }

        public Builder requestor(boolean v) {
            requestor = v;
            return this;
        }

        /** Adds a RoleIDCode (if not already there). */
        public Builder role(CodedValue role) {
            Objects.requireNonNull(role, "role");
            if (roles.stream().noneMatch(role::sameCode)) {
                roles.add(role);
            }
            return this;
        }

        /** Removes every RoleIDCode. */
        public Builder clearRoles() {
            roles.clear();
            return this;
        }

        public Builder networkAccessPoint(NetworkAccessPointType type, String id) {
            napType = type;
            napId = id;
            return this;
        }

        /** The NetworkAccessPoint of a host name or IP literal, type 1 or 2 chosen by {@link NetworkAccessPoints}. */
        public Builder networkAccessPoint(String hostOrAddress) {
            if (hostOrAddress == null || hostOrAddress.isBlank()) {
                napType = null;
                napId = null;
            } else {
                napType = NetworkAccessPoints.typeOf(hostOrAddress);
                napId = NetworkAccessPoints.normalize(hostOrAddress);
            }
            return this;
        }

        /** A MediaIdentifier with this MediaType (DCID 405). */
        public Builder mediaType(CodedValue v) {
            mediaType = v;
            return this;
        }

        public ActiveParticipant build() {
            return new ActiveParticipant(userId, alternativeUserId, userName, requestor, roles, napType, napId,
                    mediaType);
        }
    }
}
