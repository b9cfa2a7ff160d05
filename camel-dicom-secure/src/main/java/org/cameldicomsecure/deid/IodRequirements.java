package org.cameldicomsecure.deid;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;

/**
 * The Type (PS3.5 §7.4) of the attributes that have a combined action in Table E.1-1 (Z/D, X/Z, X/D, X/Z/D, X/Z/U*),
 * in the common IODs, so that the combined action can keep the instance valid. Hand-maintained from PS3.3 (2024c) and
 * listed in src/main/docs/deid-rules.md; an attribute not listed for the instance's IOD counts as Type 3.
 *
 * <p>Conditional Types (1C, 2C) are modelled with their condition, evaluated on the instance as it was before
 * de-identification ({@link Conditions}): when the condition holds the attribute has the Type 1 or 2, otherwise it
 * is Type 3 ("may be present otherwise", or not allowed at all). Where a condition cannot be evaluated from the
 * instance, the entry takes the safe side, documented at the entry: the required Type, i.e. the alternative that keeps
 * the IOD valid if the condition does hold (the D and Z alternatives add no identifying information either).
 *
 * <p>Besides the top-level Types there are nested Types for the items of a few top-level sequences whose macros give
 * Types to combined-action attributes ({@link #nestedTypeOf}).
 */
final class IodRequirements {

    /** The Type that matters for a combined action. */
    enum Type { TYPE1, TYPE2, TYPE3 }

    /**
     * What the conditions of the modelled 1C/2C entries need to know about the instance, taken from its top-level data
     * set before any change.
     *
     * @param modality Modality (0008,0060), or null
     * @param nonHuman whether the Patient is a non-human organism: PS3.3 C.7.1.1 requires Patient Species Description
     *                 (0010,2201) or Patient Species Code Sequence (0010,2202) exactly when "the Patient is a non-human
     *                 organism", so either being present says so
     */
    record Conditions(String modality, boolean nonHuman) {

        /** Nothing known: only unconditional entries and those whose condition is not evaluable apply. */
        static final Conditions NONE = new Conditions(null, false);

        static Conditions of(Dataset topLevel) {
            return new Conditions(topLevel.getString(Tag.Modality),
                    topLevel.contains(Tag.PatientSpeciesDescription)
                            || topLevel.contains(Tag.PatientSpeciesCodeSequence));
        }
    }

    /** A Type, and for a conditional Type the condition under which it applies (otherwise Type 3). */
    private record Requirement(Type type, Predicate<Conditions> condition) {
        Type typeFor(Conditions c) {
            return condition.test(c) ? type : Type.TYPE3;
        }
    }

    private static final Predicate<Conditions> ALWAYS = c -> true;

    private static Requirement always(Type t) {
        return new Requirement(t, ALWAYS);
    }

    private static Requirement when(Type t, Predicate<Conditions> condition) {
        return new Requirement(t, condition);
    }

    private static final Map<String, Map<Integer, Requirement>> BY_SOP_CLASS = new HashMap<>();

    /** SOP Class → top-level sequence → Types of attributes in its items. */
    private static final Map<String, Map<Integer, Map<Integer, Requirement>>> NESTED_BY_SOP_CLASS = new HashMap<>();

    static {
        // Modules shared by the image IODs (PS3.3 A.3 CT, A.4 MR, A.2 CR, A.26 DX, A.6 US, A.8 SC, A.21 PET, A.5 NM)
        Map<Integer, Requirement> image = new HashMap<>();
        image.put(Tag.PatientID, always(Type.TYPE2));         // C.7.1.1 Patient Module, Type 2
        // C.7.2.2 Patient Study Module, Type 2C: "Required if Patient is a non-human organism. May be present
        // otherwise." Evaluated through the species attributes (see Conditions.nonHuman).
        image.put(Tag.PatientSexNeutered, when(Type.TYPE2, Conditions::nonHuman));
        // C.7.6.1 General Image Module, Type 2C: "Required if image is part of a Series in which the images are
        // temporally related. May be present otherwise." Not evaluable from one instance: safe side, Type 2. (The
        // action is Z/D, which gives Z for Type 2 and Type 3 alike.)
        image.put(Tag.ContentDate, always(Type.TYPE2));
        image.put(Tag.ContentTime, always(Type.TYPE2));

        Map<Integer, Requirement> withContrast = new HashMap<>(image);
        withContrast.put(Tag.ContrastBolusAgent, always(Type.TYPE2)); // C.7.6.4 Contrast/Bolus Module, Type 2

        Map<Integer, Requirement> dx = new HashMap<>(withContrast);
        dx.put(Tag.AcquisitionContextSequence, always(Type.TYPE2)); // C.7.6.14 Acquisition Context Module, Type 2
        // C.8.11.1 DX Series Module, Type 1C: "Required if a Performed Procedure Step SOP Class was involved in the
        // creation of this Series." Not evaluable from the instance, and the condition has no "may be present
        // otherwise": in a conformant instance the sequence is present only when it holds. Safe side: Type 1.
        dx.put(Tag.ReferencedPerformedProcedureStepSequence, always(Type.TYPE1));

        Map<Integer, Requirement> nm = new HashMap<>(image);
        nm.put(Tag.AcquisitionContextSequence, always(Type.TYPE2)); // C.7.6.14 Acquisition Context Module, Type 2

        Map<Integer, Requirement> pet = new HashMap<>(nm);
        pet.put(Tag.SeriesDate, always(Type.TYPE1));          // C.8.9.1 PET Series Module, Type 1
        pet.put(Tag.SeriesTime, always(Type.TYPE1));          // C.8.9.1 PET Series Module, Type 1
        pet.put(Tag.AcquisitionDate, always(Type.TYPE2));     // C.8.9.4 PET Image Module, Type 2
        pet.put(Tag.AcquisitionTime, always(Type.TYPE2));     // C.8.9.4 PET Image Module, Type 2

        Map<Integer, Requirement> us = new HashMap<>(withContrast);
        // C.8.5.6 US Image Module, Type 1C: "Required if Modality (0008,0060) = IVUS May be present otherwise."
        us.put(Tag.AcquisitionDateTime, when(Type.TYPE1, c -> "IVUS".equals(c.modality())));

        // SR IODs (PS3.3 A.35.1 Basic Text, A.35.2 Enhanced, A.35.3 Comprehensive)
        Map<Integer, Requirement> sr = new HashMap<>();
        sr.put(Tag.PatientID, always(Type.TYPE2));            // C.7.1.1 Patient Module, Type 2
        sr.put(Tag.PatientSexNeutered, when(Type.TYPE2, Conditions::nonHuman)); // C.7.2.2 Patient Study, 2C (above)
        sr.put(Tag.ContentDate, always(Type.TYPE1));          // C.17.2 SR Document General Module, Type 1
        sr.put(Tag.ContentTime, always(Type.TYPE1));          // C.17.2 SR Document General Module, Type 1
        sr.put(Tag.ReferencedPerformedProcedureStepSequence, always(Type.TYPE2)); // C.17.1 SR Document Series, Type 2

        Map<Integer, Map<Integer, Requirement>> srNested = new HashMap<>();
        // C.17.2 SR Document General Module, Referenced Request Sequence (0040,A370): Table C.17-3c Referenced
        // Request Macro (C.17.2.8)
        srNested.put(Tag.ReferencedRequestSequence, Map.of(
                Tag.ReferencedStudySequence, always(Type.TYPE2),            // Type 2
                Tag.RequestedProcedureDescription, always(Type.TYPE2)));    // Type 2
        // (Custodial Organization Sequence (0040,A07C) gives Institution Name / Code Sequence Type 2 too, but the
        // sequence itself is X in Table E.1-1, so its items are never de-identified item by item.)

        put(withContrast, UID.CTImageStorage, UID.MRImageStorage, UID.ComputedRadiographyImageStorage);
        put(dx, UID.DigitalXRayImageStorageForPresentation, UID.DigitalXRayImageStorageForProcessing);
        put(us, UID.UltrasoundImageStorage, UID.UltrasoundMultiFrameImageStorage);
        put(image, UID.SecondaryCaptureImageStorage);
        put(pet, UID.PositronEmissionTomographyImageStorage);
        put(nm, UID.NuclearMedicineImageStorage);
        put(sr, UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage);
        for (String s : new String[] {UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage}) {
            NESTED_BY_SOP_CLASS.put(s, Map.copyOf(srNested));
        }
    }

    private IodRequirements() {
    }

    private static void put(Map<Integer, Requirement> types, String... sopClasses) {
        for (String s : sopClasses) {
            BY_SOP_CLASS.put(s, Map.copyOf(types));
        }
    }

    /**
     * The Type of top-level attribute {@code tag} in the IOD of {@code sopClassUid}, its condition evaluated with
     * {@code c}; TYPE3 when not listed.
     */
    static Type typeOf(String sopClassUid, int tag, Conditions c) {
        Map<Integer, Requirement> m = sopClassUid == null ? null : BY_SOP_CLASS.get(sopClassUid);
        Requirement r = m == null ? null : m.get(tag);
        return r == null ? Type.TYPE3 : r.typeFor(c);
    }

    /**
     * The Type of attribute {@code tag} in an item of top-level sequence {@code sequenceTag} in the IOD of
     * {@code sopClassUid}; TYPE3 when not listed (every other nested attribute).
     */
    static Type nestedTypeOf(String sopClassUid, int sequenceTag, int tag, Conditions c) {
        Map<Integer, Map<Integer, Requirement>> m = sopClassUid == null ? null : NESTED_BY_SOP_CLASS.get(sopClassUid);
        Map<Integer, Requirement> items = m == null ? null : m.get(sequenceTag);
        Requirement r = items == null ? null : items.get(tag);
        return r == null ? Type.TYPE3 : r.typeFor(c);
    }

    /**
     * Resolves a combined action for an attribute present in the instance and of Type {@code t}: the rightmost
     * alternative that the Type requires (D for Type 1, Z for Type 2; for X/Z/U* a Type 1 sequence keeps its items
     * with their UIDs replaced, i.e. U; a Type 2 one is emptied), otherwise the first one (X, or Z for Z/D).
     */
    static Action resolveCombined(Action a, Type t) {
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
