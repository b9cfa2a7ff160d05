package org.cameldicomsecure.media;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/**
 * The Directory Record Type for a SOP Class (PS3.3 Table F.4-1, F.5; the same assignment as DCMTK's
 * {@code sopClassToRecordType} in dcddirif.cc), and the record keys of each type (PS3.3 F.5.x tables).
 */
final class RecordTypes {

    /** How a key is filled: 1 = Type 1, 2 = Type 2 (empty when absent), 3 = copied when present (Type 1C and 3). */
    record Key(int tag, VR vr, int type, String name) {
    }

    static final String PATIENT = "PATIENT";
    static final String STUDY = "STUDY";
    static final String SERIES = "SERIES";
    static final String IMAGE = "IMAGE";

    private static final Map<String, String> BY_SOP_CLASS = new HashMap<>();
    private static final Map<String, List<Key>> KEYS = new HashMap<>();
    /** SOP classes whose records belong at the root (PS3.3 Table F.4-1), not below a SERIES: not supported here. */
    private static final Map<String, String> ROOT_LEVEL = new HashMap<>();

    static {
        put("SR DOCUMENT", UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage,
                UID.Comprehensive3DSRStorage, UID.ExtensibleSRStorage, UID.MammographyCADSRStorage,
                UID.ChestCADSRStorage, UID.ColonCADSRStorage, UID.XRayRadiationDoseSRStorage,
                UID.EnhancedXRayRadiationDoseSRStorage, UID.RadiopharmaceuticalRadiationDoseSRStorage,
                UID.ImplantationPlanSRStorage, UID.AcquisitionContextSRStorage, UID.SimplifiedAdultEchoSRStorage,
                UID.PatientRadiationDoseSRStorage, UID.PerformedImagingAgentAdministrationSRStorage,
                UID.PlannedImagingAgentAdministrationSRStorage, UID.WaveformAnnotationSRStorage,
                "1.2.840.10008.5.1.4.1.1.88.40" /* Procedure Log */,
                "1.2.840.10008.5.1.4.1.1.78.8" /* Spectacle Prescription Report */,
                "1.2.840.10008.5.1.4.1.1.79.1" /* Macular Grid Thickness and Volume Report */);
        put("PRESENTATION", UID.GrayscaleSoftcopyPresentationStateStorage,
                UID.ColorSoftcopyPresentationStateStorage, UID.PseudoColorSoftcopyPresentationStateStorage,
                UID.BlendingSoftcopyPresentationStateStorage, UID.XAXRFGrayscaleSoftcopyPresentationStateStorage,
                UID.GrayscalePlanarMPRVolumetricPresentationStateStorage,
                UID.CompositingPlanarMPRVolumetricPresentationStateStorage,
                UID.AdvancedBlendingPresentationStateStorage,
                UID.VolumeRenderingVolumetricPresentationStateStorage,
                UID.SegmentedVolumeRenderingVolumetricPresentationStateStorage,
                UID.MultipleVolumeRenderingVolumetricPresentationStateStorage,
                UID.VariableModalityLUTSoftcopyPresentationStateStorage, UID.BasicStructuredDisplayStorage);
        put("WAVEFORM", UID.WaveformStorageTrial, UID.TwelveLeadECGWaveformStorage, UID.GeneralECGWaveformStorage,
                UID.AmbulatoryECGWaveformStorage, UID.HemodynamicWaveformStorage,
                UID.CardiacElectrophysiologyWaveformStorage, UID.BasicVoiceAudioWaveformStorage,
                UID.GeneralAudioWaveformStorage, UID.ArterialPulseWaveformStorage, UID.RespiratoryWaveformStorage,
                UID.RoutineScalpElectroencephalogramWaveformStorage, UID.ElectromyogramWaveformStorage,
                UID.ElectrooculogramWaveformStorage, UID.SleepElectroencephalogramWaveformStorage,
                UID.MultichannelRespiratoryWaveformStorage, UID.BodyPositionWaveformStorage,
                UID.General32bitECGWaveformStorage);
        put("RT DOSE", UID.RTDoseStorage);
        put("RT STRUCTURE SET", UID.RTStructureSetStorage);
        put("RT PLAN", UID.RTPlanStorage, UID.RTIonPlanStorage);
        put("RT TREAT RECORD", UID.RTBeamsTreatmentRecordStorage, UID.RTBrachyTreatmentRecordStorage,
                UID.RTTreatmentSummaryRecordStorage, UID.RTIonBeamsTreatmentRecordStorage);
        put("KEY OBJECT DOC", UID.KeyObjectSelectionDocumentStorage);
        put("REGISTRATION", UID.SpatialRegistrationStorage, UID.DeformableSpatialRegistrationStorage);
        put("FIDUCIAL", UID.SpatialFiducialsStorage);
        put("RAW DATA", UID.RawDataStorage);
        put("SPECTROSCOPY", UID.MRSpectroscopyStorage);
        put("ENCAP DOC", UID.EncapsulatedPDFStorage, UID.EncapsulatedCDAStorage, UID.EncapsulatedSTLStorage,
                UID.EncapsulatedOBJStorage, UID.EncapsulatedMTLStorage);
        put("VALUE MAP", UID.RealWorldValueMappingStorage);
        ROOT_LEVEL.put(UID.HangingProtocolStorage, "HANGING PROTOCOL");
        ROOT_LEVEL.put(UID.ColorPaletteStorage, "PALETTE");
        ROOT_LEVEL.put(UID.GenericImplantTemplateStorage, "IMPLANT");
        ROOT_LEVEL.put(UID.ImplantTemplateGroupStorage, "IMPLANT GROUP");
        ROOT_LEVEL.put(UID.InventoryStorage, "INVENTORY");

        Key charset = new Key(Tag.SpecificCharacterSet, VR.CS, 3, "Specific Character Set");
        Key instanceNumber = new Key(Tag.InstanceNumber, VR.IS, 1, "Instance Number");
        Key contentDate1 = new Key(Tag.ContentDate, VR.DA, 1, "Content Date");
        Key contentTime1 = new Key(Tag.ContentTime, VR.TM, 1, "Content Time");
        // Content Identification Macro (PS3.3 Table 10-12)
        Key contentLabel = new Key(Tag.ContentLabel, VR.CS, 1, "Content Label");
        Key contentDescription = new Key(Tag.ContentDescription, VR.LO, 2, "Content Description");
        Key contentCreator = new Key(Tag.ContentCreatorName, VR.PN, 2, "Content Creator's Name");
        Key conceptName1 = new Key(Tag.ConceptNameCodeSequence, VR.SQ, 1, "Concept Name Code Sequence");

        KEYS.put(PATIENT, List.of(charset, new Key(Tag.PatientName, VR.PN, 2, "Patient's Name"),
                new Key(Tag.PatientID, VR.LO, 1, "Patient ID")));
        KEYS.put(STUDY, List.of(charset, new Key(Tag.StudyDate, VR.DA, 1, "Study Date"),
                new Key(Tag.StudyTime, VR.TM, 1, "Study Time"),
                new Key(Tag.AccessionNumber, VR.SH, 2, "Accession Number"),
                new Key(Tag.StudyDescription, VR.LO, 2, "Study Description"),
                new Key(Tag.StudyInstanceUID, VR.UI, 1, "Study Instance UID"),
                new Key(Tag.StudyID, VR.SH, 1, "Study ID")));
        KEYS.put(SERIES, List.of(charset, new Key(Tag.Modality, VR.CS, 1, "Modality"),
                new Key(Tag.SeriesInstanceUID, VR.UI, 1, "Series Instance UID"),
                new Key(Tag.SeriesNumber, VR.IS, 1, "Series Number")));
        KEYS.put(IMAGE, List.of(charset, instanceNumber));
        KEYS.put("RT DOSE", List.of(charset, instanceNumber,
                new Key(Tag.DoseSummationType, VR.CS, 1, "Dose Summation Type"),
                new Key(Tag.DoseComment, VR.LO, 3, "Dose Comment")));
        KEYS.put("RT STRUCTURE SET", List.of(charset, instanceNumber,
                new Key(Tag.StructureSetLabel, VR.SH, 1, "Structure Set Label"),
                new Key(Tag.StructureSetDate, VR.DA, 2, "Structure Set Date"),
                new Key(Tag.StructureSetTime, VR.TM, 2, "Structure Set Time")));
        KEYS.put("RT PLAN", List.of(charset, instanceNumber, new Key(Tag.RTPlanLabel, VR.SH, 1, "RT Plan Label"),
                new Key(Tag.RTPlanDate, VR.DA, 2, "RT Plan Date"), new Key(Tag.RTPlanTime, VR.TM, 2, "RT Plan Time")));
        KEYS.put("RT TREAT RECORD", List.of(charset, instanceNumber,
                new Key(Tag.TreatmentDate, VR.DA, 2, "Treatment Date"),
                new Key(Tag.TreatmentTime, VR.TM, 2, "Treatment Time")));
        KEYS.put("PRESENTATION", List.of(charset, instanceNumber, contentLabel, contentDescription,
                new Key(Tag.PresentationCreationDate, VR.DA, 1, "Presentation Creation Date"),
                new Key(Tag.PresentationCreationTime, VR.TM, 1, "Presentation Creation Time"),
                contentCreator,
                new Key(Tag.ReferencedSeriesSequence, VR.SQ, 3, "Referenced Series Sequence"),
                new Key(Tag.BlendingSequence, VR.SQ, 3, "Blending Sequence")));
        KEYS.put("WAVEFORM", List.of(charset, contentDate1, contentTime1, instanceNumber));
        // SR DOCUMENT and KEY OBJECT DOC: Verification DateTime and Content Sequence are derived (DicomDirWriter)
        KEYS.put("SR DOCUMENT", List.of(charset, contentDate1, contentTime1, instanceNumber,
                new Key(Tag.CompletionFlag, VR.CS, 1, "Completion Flag"),
                new Key(Tag.VerificationFlag, VR.CS, 1, "Verification Flag"), conceptName1));
        KEYS.put("KEY OBJECT DOC", List.of(charset, contentDate1, contentTime1, instanceNumber, conceptName1));
        KEYS.put("SPECTROSCOPY", List.of(charset, new Key(Tag.ImageType, VR.CS, 1, "Image Type"), contentDate1,
                contentTime1, instanceNumber,
                new Key(Tag.ReferencedImageEvidenceSequence, VR.SQ, 3, "Referenced Image Evidence Sequence"),
                new Key(Tag.NumberOfFrames, VR.IS, 1, "Number of Frames"), new Key(Tag.Rows, VR.US, 1, "Rows"),
                new Key(Tag.Columns, VR.US, 1, "Columns"),
                new Key(Tag.DataPointRows, VR.UL, 1, "Data Point Rows"),
                new Key(Tag.DataPointColumns, VR.UL, 1, "Data Point Columns")));
        KEYS.put("RAW DATA", List.of(charset, contentDate1, contentTime1,
                new Key(Tag.InstanceNumber, VR.IS, 2, "Instance Number")));
        KEYS.put("REGISTRATION", List.of(charset, contentDate1, contentTime1, instanceNumber, contentLabel,
                contentDescription, contentCreator));
        KEYS.put("VALUE MAP", List.of(charset, contentDate1, contentTime1, instanceNumber, contentLabel,
                contentDescription, contentCreator));
        KEYS.put("FIDUCIAL", List.of(charset, contentDate1, contentTime1, instanceNumber, contentLabel,
                contentDescription, contentCreator));
        KEYS.put("ENCAP DOC", List.of(charset, new Key(Tag.ContentDate, VR.DA, 2, "Content Date"),
                new Key(Tag.ContentTime, VR.TM, 2, "Content Time"), instanceNumber,
                new Key(Tag.DocumentTitle, VR.ST, 2, "Document Title"),
                new Key(Tag.HL7InstanceIdentifier, VR.ST, 3, "HL7 Instance Identifier"),
                new Key(Tag.ConceptNameCodeSequence, VR.SQ, 2, "Concept Name Code Sequence"),
                new Key(Tag.MIMETypeOfEncapsulatedDocument, VR.LO, 1, "MIME Type of Encapsulated Document")));
    }

    private RecordTypes() {
    }

    private static void put(String type, String... sopClasses) {
        for (String s : sopClasses) {
            BY_SOP_CLASS.put(s, type);
        }
    }

    /**
     * The record type for an instance of {@code sopClassUid} below a SERIES record: IMAGE unless PS3.3 names another.
     *
     * @throws IllegalArgumentException for SOP classes whose records belong at the root (Hanging Protocol, Color
     *                                  Palette, Implant templates, Inventory): not supported in a patient File-set
     */
    static String forSopClass(String sopClassUid) {
        String root = ROOT_LEVEL.get(sopClassUid);
        if (root != null) {
            throw new IllegalArgumentException("SOP Class " + sopClassUid + " has " + root
                    + " records at the root of a DICOMDIR: not supported in a patient/study/series File-set");
        }
        return BY_SOP_CLASS.getOrDefault(sopClassUid, IMAGE);
    }

    static List<Key> keys(String recordType) {
        return KEYS.getOrDefault(recordType, KEYS.get(IMAGE));
    }
}
