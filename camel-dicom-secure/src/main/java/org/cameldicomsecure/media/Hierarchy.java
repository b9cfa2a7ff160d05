package org.cameldicomsecure.media;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;

/**
 * Groups instances by patient, study and series in the order they first appear. A patient is its Patient ID, or,
 * without one, its Patient's Name; a study is its Study Instance UID (under the patient it first appeared with: a
 * Study Instance UID is unique in a File-set, PS3.3 F.5.2); a series is its Series Instance UID (under its first study).
 */
final class Hierarchy<T> {

    static final class Patient<T> {
        final String patientId; // null: none in the instances
        final List<Study<T>> studies = new ArrayList<>();

        Patient(String patientId) {
            this.patientId = patientId;
        }
    }

    static final class Study<T> {
        final String uid;
        final List<Series<T>> series = new ArrayList<>();

        Study(String uid) {
            this.uid = uid;
        }
    }

    static final class Series<T> {
        final String uid;
        final List<T> instances = new ArrayList<>();

        Series(String uid) {
            this.uid = uid;
        }
    }

    final List<Patient<T>> patients = new ArrayList<>();

    private Hierarchy() {
    }

    /**
     * @param describe names an instance in error messages (its index or File ID, never patient data)
     * @throws IllegalArgumentException if an instance lacks SOP Class/Instance, Study or Series Instance UID
     */
    static <T> Hierarchy<T> of(List<T> instances, Function<T, Dataset> dataset, Function<T, String> describe) {
        Hierarchy<T> h = new Hierarchy<>();
        Map<String, Patient<T>> byPatient = new LinkedHashMap<>();
        Map<String, Study<T>> byStudy = new HashMap<>();
        Map<String, Series<T>> bySeries = new HashMap<>();
        for (T t : instances) {
            Dataset ds = dataset.apply(t);
            require(ds, Tag.SOPClassUID, "SOP Class UID (0008,0016)", describe.apply(t));
            require(ds, Tag.SOPInstanceUID, "SOP Instance UID (0008,0018)", describe.apply(t));
            String studyUid = require(ds, Tag.StudyInstanceUID, "Study Instance UID (0020,000D)", describe.apply(t));
            String seriesUid = require(ds, Tag.SeriesInstanceUID, "Series Instance UID (0020,000E)",
                    describe.apply(t));
            Series<T> series = bySeries.get(seriesUid);
            if (series == null) {
                Study<T> study = byStudy.get(studyUid);
                if (study == null) {
                    String pid = ds.getString(Tag.PatientID);
                    String key = pid != null ? "id:" + pid : "name:" + nullToEmpty(ds.getString(Tag.PatientName));
                    Patient<T> patient = byPatient.get(key);
                    if (patient == null) {
                        patient = new Patient<>(pid);
                        byPatient.put(key, patient);
                        h.patients.add(patient);
                    }
                    study = new Study<>(studyUid);
                    byStudy.put(studyUid, study);
                    patient.studies.add(study);
                }
                series = new Series<>(seriesUid);
                bySeries.put(seriesUid, series);
                study.series.add(series);
            }
            series.instances.add(t);
        }
        return h;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String require(Dataset ds, int tag, String name, String what) {
        String v = ds.getString(tag);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " has no " + name + ": it cannot be put in a File-set");
        }
        return v;
    }
}
