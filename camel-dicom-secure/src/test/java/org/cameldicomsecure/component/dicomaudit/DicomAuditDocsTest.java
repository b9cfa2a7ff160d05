package org.cameldicomsecure.component.dicomaudit;

import org.cameldicomsecure.component.ComponentDocs;
import org.junit.jupiter.api.Test;

/** Every option and header of the generated dicomaudit.json is in dicomaudit-component.adoc. */
class DicomAuditDocsTest {

    @Test
    void everyOptionAndHeaderIsDocumented() throws Exception {
        ComponentDocs.assertEverythingDocumented("dicomaudit");
    }
}
