package org.cameldicomsecure.net.assoc;

import org.cameldicomsecure.dicom.TransferSyntax;

/** An accepted presentation context: its ID, abstract syntax (SOP class) and transfer syntax. */
public record AcceptedContext(int id, String abstractSyntax, TransferSyntax transferSyntax) {
}
