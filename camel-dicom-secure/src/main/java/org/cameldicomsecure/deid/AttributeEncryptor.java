package org.cameldicomsecure.deid;

import java.security.cert.X509Certificate;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;

/**
 * Makes one item of Encrypted Attributes Sequence (0400,0500) (PS3.15 E.1.1 item 4) from the Encrypted Attributes
 * Data Set, i.e. a data set holding Modified Attributes Sequence (0400,0550) with one item of original values.
 */
interface AttributeEncryptor {

    /**
     * @param modifiedAttributes a data set with (0400,0550) holding one item, the original values
     * @param recipients         certificates of the RSA keys that may decrypt it
     * @return the item: Encrypted Content Transfer Syntax UID (0400,0510) and Encrypted Content (0400,0520)
     */
    Dataset encrypt(Dataset modifiedAttributes, List<X509Certificate> recipients) throws DeidentificationException;
}
