package org.cameldicomsecure.net.pdu;

/** PS3.7 §D.3.3.3 Asynchronous Operations Window Sub-Item (53H); 0 means unlimited. */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {

    public AsyncOperationsWindow {
        if (maxOperationsInvoked < 0 || maxOperationsInvoked > 0xFFFF || maxOperationsPerformed < 0
                || maxOperationsPerformed > 0xFFFF) {
            throw new IllegalArgumentException("operations window values are 16-bit");
        }
    }
}
