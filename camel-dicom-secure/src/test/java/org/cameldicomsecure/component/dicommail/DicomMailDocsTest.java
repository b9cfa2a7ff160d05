package org.cameldicomsecure.component.dicommail;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicommail.json is in dicommail-component.adoc. */
class DicomMailDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicommail");
    }
}
