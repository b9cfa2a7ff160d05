package org.cameldicomsecure.deid;

import java.security.cert.X509Certificate;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.sign.cms.EncryptedAttributes;
import org.cameldicomsecure.sign.cms.EncryptedAttributesException;

/**
 * The default {@link AttributeEncryptor}: CMS EnvelopedData with RSA key transport and AES-256-CBC, by
 * {@link EncryptedAttributes} (PS3.15 E.1.1 item 4).
 */
final class CmsAttributeEncryptor implements AttributeEncryptor {

    @Override
    public Dataset encrypt(Dataset modifiedAttributes, List<X509Certificate> recipients)
            throws DeidentificationException {
        try {
            return EncryptedAttributes.encrypt(modifiedAttributes, recipients);
        } catch (EncryptedAttributesException e) {
            throw new DeidentificationException("cannot make the Encrypted Attributes Sequence (0400,0500): "
                    + e.getMessage(), e);
        }
    }
}
