package org.cameldicomsecure.net.pdu;

import java.util.List;
import java.util.Objects;

/** PS3.8 §9.3.2.2 Presentation Context Item (20H) of an A-ASSOCIATE-RQ. */
public record PresentationContextRQ(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public PresentationContextRQ {
        if (id < 1 || id > 255 || (id & 1) == 0) {
            throw new IllegalArgumentException("presentation context ID must be odd, 1-255: " + id);
        }
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("presentation context " + id + " proposes no transfer syntax");
        }
    }
}
