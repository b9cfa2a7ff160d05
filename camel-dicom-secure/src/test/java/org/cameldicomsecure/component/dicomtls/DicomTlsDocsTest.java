package org.cameldicomsecure.component.dicomtls;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicomtls.json is in dicomtls-component.adoc. */
class DicomTlsDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicomtls");
    }
}
