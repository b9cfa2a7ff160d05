package org.cameldicomsecure.net.pdu;

/** A DICOM Upper Layer PDU (PS3.8 §9.3). */
public sealed interface Pdu permits AAssociateRQ, AAssociateAC, AAssociateRJ, PDataTF, AReleaseRQ, AReleaseRP, AAbort {

    PduType type();
}
