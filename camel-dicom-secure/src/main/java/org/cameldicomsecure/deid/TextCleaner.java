package org.cameldicomsecure.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.cameldicomsecure.dicom.VR;

/**
 * Action C for free text (Clean Descriptors Option E.3.5, and the text of the Clean Graphics, Clean Structured Content
 * and Retain Patient Characteristics Options). No program can tell reliably whether free text names somebody, so
 * cleaning is by allow-list: a value is split into words, and a word survives only if it is in {@link #WORDS} (common
 * imaging, anatomy and protocol vocabulary, none of it a name) or is a short measurement such as "5MM", "3D", "T1"
 * (at most 3 digits, so no date, time or identifier survives). Everything else is dropped; if nothing survives, the
 * value becomes {@link #CLEANED}. The result is upper case, fits the VR's maximum length, and for CS uses only the CS
 * repertoire.
 */
final class TextCleaner {

    static final String CLEANED = "CLEANED";

    static final Set<String> WORDS = Set.of(
            // modalities and techniques
            "CT", "MR", "MRI", "PET", "NM", "US", "CR", "DX", "MG", "XA", "RF", "OT", "SPECT", "XRAY", "X-RAY",
            "ANGIO", "ANGIOGRAPHY", "ANGIOGRAM", "ULTRASOUND", "DOPPLER", "FLUORO", "FLUOROSCOPY", "MAMMO",
            "MAMMOGRAPHY", "TOMOSYNTHESIS", "SCOUT", "LOCALIZER", "TOPOGRAM", "SURVIEW", "HELICAL", "SPIRAL", "AXIAL",
            "SAGITTAL", "CORONAL", "OBLIQUE", "TRANSVERSE", "MPR", "MIP", "MINIP", "VR", "3D", "2D", "4D", "RECON",
            "RECONSTRUCTION", "REFORMAT", "DERIVED", "PRIMARY", "SECONDARY", "ORIGINAL", "LOW", "HIGH", "DOSE",
            "STANDARD", "ROUTINE", "PROTOCOL", "SERIES", "STUDY", "IMAGE", "IMAGES", "EXAM", "SCAN", "SCREENING",
            "DIAGNOSTIC", "FOLLOW", "UP", "FOLLOW-UP", "PRE", "POST", "CONTRAST", "NONCONTRAST", "NON", "WITH",
            "WITHOUT", "WO", "IV", "ORAL", "ARTERIAL", "VENOUS", "PORTAL", "DELAYED", "PHASE", "BOLUS",
            "PERFUSION", "DIFFUSION", "DWI", "ADC", "DTI", "FLAIR", "STIR", "SWI", "GRE", "SE", "TSE", "FSE", "EPI",
            "T1", "T2", "PD", "FS", "FATSAT", "FAT", "SAT", "WATER", "INVERSION", "RECOVERY", "GADOLINIUM", "GAD",
            "CINE", "TOF", "PC", "BOLD", "SPINE", "CALIBRATION", "QC", "PHANTOM", "TEST", "ATTENUATION", "CORRECTED",
            "CORRECTION", "AC", "NAC", "SUV", "BONE", "SOFT", "TISSUE", "LUNG", "MEDIASTINUM", "KERNEL", "SHARP",
            "SMOOTH", "THIN", "THICK", "SLICE", "SLICES", "MM", "CM", "KV", "MAS", "AND", "OF", "THE", "TO", "FOR",
            "IN", "ON", "ONLY", "VIEW", "VIEWS", "AP", "PA", "LAT", "LATERAL", "LEFT", "RIGHT", "BILATERAL",
            "UPPER", "LOWER", "ANTERIOR", "POSTERIOR", "SUPINE", "PRONE", "DECUBITUS", "ERECT", "STANDING",
            // anatomy
            "HEAD", "BRAIN", "SKULL", "NECK", "FACE", "SINUS", "SINUSES", "ORBIT", "ORBITS", "CHEST", "THORAX",
            "HEART", "CARDIAC", "CORONARY", "AORTA", "ABDOMEN", "ABD", "PELVIS", "LIVER", "KIDNEY", "KIDNEYS",
            "RENAL", "PANCREAS", "SPLEEN", "BLADDER", "PROSTATE", "BREAST", "CERVICAL", "THORACIC", "LUMBAR",
            "SACRUM", "SHOULDER", "ELBOW", "WRIST", "HAND", "HIP", "KNEE", "ANKLE", "FOOT", "EXTREMITY", "WHOLE",
            "BODY", "WB", "ARM", "LEG", "FEMUR", "TIBIA", "HUMERUS", "JOINT", "VESSEL", "VESSELS", "CAROTID",
            "PULMONARY", "EMBOLISM", "PE", "STROKE", "TRAUMA", "TUMOR", "TUMOUR", "MASS", "NODULE", "LESION",
            "FRACTURE", "BIOPSY", "GUIDED", "NORMAL", "ABNORMAL");

    private static final Pattern MEASURE = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,2})?(MM|CM|KV|MAS|S|MS|D|%)?"
            + "|T[12]");

    private TextCleaner() {
    }

    /** The cleaned value of {@code text} for {@code vr}. */
    static String clean(String text, VR vr) {
        List<String> kept = new ArrayList<>();
        for (String w : text.toUpperCase(Locale.ROOT).split("[^A-Z0-9.%-]+")) {
            String t = w.replaceAll("^[.-]+|[.-]+$", "");
            if (!t.isEmpty() && (WORDS.contains(t) || MEASURE.matcher(t).matches())) {
                kept.add(vr == VR.CS ? t.replaceAll("[^A-Z0-9]", "_") : t);
            }
        }
        String out = kept.isEmpty() ? CLEANED : String.join(vr == VR.CS ? "_" : " ", kept);
        int max = maxLength(vr);
        if (out.length() > max) {
            out = out.substring(0, max).trim();
        }
        return out.isEmpty() ? CLEANED : out;
    }

    private static int maxLength(VR vr) {
        return switch (vr) {
            case CS, SH, AE -> 16;
            case LO -> 64;
            case ST -> 1024;
            case LT -> 10240;
            default -> 4096;
        };
    }
}
