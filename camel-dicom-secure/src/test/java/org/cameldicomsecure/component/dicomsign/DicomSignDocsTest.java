package org.cameldicomsecure.component.dicomsign;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicomsign.json is in dicomsign-component.adoc. */
class DicomSignDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicomsign");
    }
}
