package org.cameldicomsecure.deid;

import java.util.HashMap;
import java.util.Map;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;

/**
 * The Type (PS3.5 §7.4) of the attributes that have a combined action in Table E.1-1 (Z/D, X/Z, X/D, X/Z/D, X/Z/U*),
 * in the common IODs, so that the combined action can keep the instance valid. Hand-maintained from PS3.3 (2024c) and
 * listed in src/main/docs/deid-rules.md; an attribute not listed for the instance's IOD counts as Type 3.
 *
 * <p>Conditional types count as their unconditional type (1C as 1, 2C as 2): the rule is applied only to attributes
 * present in the instance, and an attribute that is present may be so because its condition holds.
 */
final class IodRequirements {

    /** The Type that matters for a combined action. */
    enum Type { TYPE1, TYPE2, TYPE3 }

    private static final Map<String, Map<Integer, Type>> BY_SOP_CLASS = new HashMap<>();

    static {
        // Modules shared by the image IODs (PS3.3 A.3 CT, A.4 MR, A.2 CR, A.26 DX, A.6 US, A.8 SC, A.21 PET, A.5 NM)
        Map<Integer, Type> image = new HashMap<>();
        image.put(Tag.PatientID, Type.TYPE2);                 // C.7.1.1 Patient Module, Type 2
        image.put(Tag.PatientSexNeutered, Type.TYPE2);        // C.7.1.1 Patient Module, Type 2C
        image.put(Tag.ContentDate, Type.TYPE2);               // C.7.6.1 General Image Module, Type 2C
        image.put(Tag.ContentTime, Type.TYPE2);               // C.7.6.1 General Image Module, Type 2C

        Map<Integer, Type> withContrast = new HashMap<>(image);
        withContrast.put(Tag.ContrastBolusAgent, Type.TYPE2); // C.7.6.4 Contrast/Bolus Module, Type 2

        Map<Integer, Type> dx = new HashMap<>(withContrast);
        dx.put(Tag.AcquisitionContextSequence, Type.TYPE2);  // C.7.6.14 Acquisition Context Module, Type 2
        dx.put(Tag.ReferencedPerformedProcedureStepSequence, Type.TYPE1); // C.8.11.1 DX Series Module, Type 1C

        Map<Integer, Type> nm = new HashMap<>(image);
        nm.put(Tag.AcquisitionContextSequence, Type.TYPE2);  // C.7.6.14 Acquisition Context Module, Type 2

        Map<Integer, Type> pet = new HashMap<>(nm);
        pet.put(Tag.SeriesDate, Type.TYPE1);                  // C.8.9.1 PET Series Module, Type 1
        pet.put(Tag.SeriesTime, Type.TYPE1);                  // C.8.9.1 PET Series Module, Type 1
        pet.put(Tag.AcquisitionDate, Type.TYPE2);             // C.8.9.4 PET Image Module, Type 2
        pet.put(Tag.AcquisitionTime, Type.TYPE2);             // C.8.9.4 PET Image Module, Type 2

        Map<Integer, Type> us = new HashMap<>(withContrast);
        us.put(Tag.AcquisitionDateTime, Type.TYPE1);          // C.8.5.6 US Image Module, Type 1C

        // SR IODs (PS3.3 A.35.1 Basic Text, A.35.2 Enhanced, A.35.3 Comprehensive)
        Map<Integer, Type> sr = new HashMap<>();
        sr.put(Tag.PatientID, Type.TYPE2);                    // C.7.1.1 Patient Module, Type 2
        sr.put(Tag.PatientSexNeutered, Type.TYPE2);           // C.7.1.1 Patient Module, Type 2C
        sr.put(Tag.ContentDate, Type.TYPE1);                  // C.17.2 SR Document General Module, Type 1
        sr.put(Tag.ContentTime, Type.TYPE1);                  // C.17.2 SR Document General Module, Type 1
        sr.put(Tag.ReferencedPerformedProcedureStepSequence, Type.TYPE2); // C.17.2, Type 2

        put(withContrast, UID.CTImageStorage, UID.MRImageStorage, UID.ComputedRadiographyImageStorage);
        put(dx, UID.DigitalXRayImageStorageForPresentation, UID.DigitalXRayImageStorageForProcessing);
        put(us, UID.UltrasoundImageStorage, UID.UltrasoundMultiFrameImageStorage);
        put(image, UID.SecondaryCaptureImageStorage);
        put(pet, UID.PositronEmissionTomographyImageStorage);
        put(nm, UID.NuclearMedicineImageStorage);
        put(sr, UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage);
    }

    private IodRequirements() {
    }

    private static void put(Map<Integer, Type> types, String... sopClasses) {
        for (String s : sopClasses) {
            BY_SOP_CLASS.put(s, Map.copyOf(types));
        }
    }

    /** The Type of top-level attribute {@code tag} in the IOD of {@code sopClassUid}; TYPE3 when not listed. */
    static Type typeOf(String sopClassUid, int tag) {
        Map<Integer, Type> m = sopClassUid == null ? null : BY_SOP_CLASS.get(sopClassUid);
        Type t = m == null ? null : m.get(tag);
        return t == null ? Type.TYPE3 : t;
    }

    /**
     * Resolves a combined action for an attribute present in the instance: the rightmost alternative that the
     * attribute's Type requires (D for Type 1, Z for Type 2; for X/Z/U* a Type 1 or 2 sequence keeps its items with
     * their UIDs replaced, i.e. U; a Type 2 one is emptied), otherwise the first one (X, or Z for Z/D). Only top-level attributes have a Type
     * here; nested ones ({@code topLevel} false) take the first alternative.
     */
    static Action resolveCombined(Action a, String sopClassUid, int tag, boolean topLevel) {
        Type t = topLevel ? typeOf(sopClassUid, tag) : Type.TYPE3;
        return switch (a) {
            case Z_D -> t == Type.TYPE1 ? Action.D : Action.Z;
            case X_Z -> t == Type.TYPE3 ? Action.X : Action.Z;
            case X_D -> t == Type.TYPE1 ? Action.D : Action.X;
            case X_Z_D -> t == Type.TYPE1 ? Action.D : t == Type.TYPE2 ? Action.Z : Action.X;
            case X_Z_U -> t == Type.TYPE1 ? Action.U : t == Type.TYPE2 ? Action.Z : Action.X;
            default -> a;
        };
    }
}
