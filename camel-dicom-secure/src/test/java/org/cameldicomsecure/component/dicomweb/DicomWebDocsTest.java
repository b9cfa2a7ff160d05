package org.cameldicomsecure.component.dicomweb;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicomweb.json is in dicomweb-component.adoc. */
class DicomWebDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicomweb");
    }
}
