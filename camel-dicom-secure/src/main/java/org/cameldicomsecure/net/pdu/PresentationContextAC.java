package org.cameldicomsecure.net.pdu;

/**
 * PS3.8 §9.3.3.2 Presentation Context Item (21H) of an A-ASSOCIATE-AC.
 *
 * @param result         0 acceptance, 1 user-rejection, 2 no-reason, 3 abstract-syntax-not-supported,
 *                       4 transfer-syntaxes-not-supported
 * @param transferSyntax the accepted transfer syntax (not significant unless accepted)
 */
public record PresentationContextAC(int id, int result, String transferSyntax) {

    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public PresentationContextAC {
        if (id < 1 || id > 255 || (id & 1) == 0) {
            throw new IllegalArgumentException("presentation context ID must be odd, 1-255: " + id);
        }
        if (result < 0 || result > 4) {
            throw new IllegalArgumentException("presentation context result must be 0-4: " + result);
        }
        transferSyntax = transferSyntax == null ? "" : transferSyntax;
    }

    public boolean accepted() {
        return result == ACCEPTANCE;
    }
}
