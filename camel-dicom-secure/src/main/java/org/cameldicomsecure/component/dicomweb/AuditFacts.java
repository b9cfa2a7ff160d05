package org.cameldicomsecure.component.dicomweb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;
import org.cameldicomsecure.audit.web.WebAuditor;
import org.cameldicomsecure.component.dicom.DicomConverter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.web.server.StowInstance;

/** What the audit messages need of the instances a route sends or serves (read only when auditing is on). */
final class AuditFacts {

    private AuditFacts() {
    }

    /**
     * The facts of each item (DicomFile, Dataset, byte[], Path or File); an item that cannot be read gives facts with
     * no UIDs, which the auditor reports as not auditable (its transfer is not hidden, it is named an error).
     */
    static List<InstanceFacts> of(List<?> items) {
        List<InstanceFacts> out = new ArrayList<>(items.size());
        for (Object o : items) {
            out.add(of(o));
        }
        return out;
    }

    private static InstanceFacts of(Object o) {
        try {
            Dataset ds;
            if (o instanceof DicomFile f) {
                ds = f.dataset();
            } else if (o instanceof StowInstance si) {
                ds = si.file().dataset();
            } else if (o instanceof Dataset d) {
                ds = d;
            } else if (o instanceof byte[] b) {
                ds = DicomConverter.toDataset(b);
            } else if (o instanceof Path p) {
                ds = DicomConverter.toDataset(p);
            } else if (o instanceof File f) {
                ds = DicomConverter.toDataset(f);
            } else {
                ds = new Dataset();
            }
            return WebAuditor.facts(ds);
        } catch (IOException | RuntimeException e) {
            return WebAuditor.facts(new Dataset());
        }
    }
}
