package org.cameldicomsecure.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.sign.cms.EncryptedAttributes;
import org.cameldicomsecure.sign.cms.TestRecipients;
import org.junit.jupiter.api.Test;

/** The default encryptor end to end: what the Deidentifier encrypts decrypts to the original values. */
class CmsAttributeEncryptorTest {

    @Test
    void encryptedAttributesDecryptToTheOriginals() throws Exception {
        TestRecipients.Recipient r = TestRecipients.rsa("deid-recipient", 2048);
        DeidentificationOptions o = DeidentificationOptions.builder()
                .uidSecret("cms-attribute-encryptor-test-key".getBytes(StandardCharsets.US_ASCII))
                .encryptTo(List.of(r.cert())).build();
        DeidentificationResult res = new Deidentifier(o).deidentify(TestInstances.everyAttribute());
        Sequence eas = res.file().dataset().getSequence(Tag.EncryptedAttributesSequence);
        assertEquals(1, eas.size());
        Dataset decrypted = EncryptedAttributes.decrypt(eas.get(0), r.key(), r.cert());
        Dataset item = decrypted.getSequence(Tag.ModifiedAttributesSequence).get(0);
        assertEquals("Doe^John", item.getString(Tag.PersonName));
        assertEquals(TestInstances.SOP, item.getString(Tag.SOPInstanceUID));
        assertEquals(res.originalAttributes().size(), item.size());
    }

    @Test
    void aNonRsaRecipientIsReportedWithoutValues() {
        TestRecipients.Recipient ec = TestRecipients.ec("deid-ec");
        DeidentificationOptions o = DeidentificationOptions.builder().encryptTo(List.of(ec.cert())).build();
        DeidentificationException e = assertThrows(DeidentificationException.class,
                () -> new Deidentifier(o).deidentify(TestInstances.everyAttribute()));
        assertTrue(e.getMessage().contains("(0400,0500)"), e.getMessage());
        assertTrue(!e.getMessage().contains("Doe"), e.getMessage());
    }
}
