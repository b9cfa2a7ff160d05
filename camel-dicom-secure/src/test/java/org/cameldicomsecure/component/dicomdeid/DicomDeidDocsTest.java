package org.cameldicomsecure.component.dicomdeid;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicomdeid.json is in dicomdeid-component.adoc. */
class DicomDeidDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicomdeid");
    }
}
