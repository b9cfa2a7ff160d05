package org.cameldicomsecure.deid;

/** The action codes of PS3.15 Table E.1-1a, as the generated tables spell them. */
enum Action {
    /** Replace with a non-zero length dummy value consistent with the VR. */
    D("D"),
    /** Replace with a zero length value. */
    Z("Z"),
    /** Remove. */
    X("X"),
    /** Keep (sequences are still cleaned recursively). */
    K("K"),
    /** Clean: replace with values of similar meaning known not to identify. */
    C("C"),
    /** Replace with a non-zero length UID that is consistent within the set of instances. */
    U("U"),
    /** Z unless D is required to keep the IOD valid. */
    Z_D("Z/D"),
    /** X unless Z is required to keep the IOD valid. */
    X_Z("X/Z"),
    /** X unless D is required to keep the IOD valid. */
    X_D("X/D"),
    /** X unless Z or D is required to keep the IOD valid. */
    X_Z_D("X/Z/D"),
    /** X unless Z or replacement of the contained UIDs is required (sequences of UID references). */
    X_Z_U("X/Z/U*");

    private final String code;

    Action(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    boolean isCombined() {
        return code.indexOf('/') >= 0;
    }

    static Action of(String code) {
        for (Action a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown de-identification action '" + code + "'");
    }
}
