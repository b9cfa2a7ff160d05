package org.cameldicomsecure.deid;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.dicom.VR;

/**
 * The de-identifier of PS3.15 Annex E: the Basic Application Level Confidentiality Profile (E.2) and the Options of
 * E.3 chosen in {@link DeidentificationOptions}, driven by Table E.1-1 as generated from the standard. The rules it
 * follows where the standard leaves a choice are in src/main/docs/deid-rules.md.
 *
 * <p>{@link #deidentify} works on a copy: the input is never changed, and nothing partly de-identified is returned
 * (any problem is a {@link DeidentificationException}). Pixel data pass through by reference, never loaded, unless
 * they are cleaned. A Deidentifier is immutable and may be shared between threads; replacement UIDs and date shifts
 * depend only on the secret, so two Deidentifiers with the same secret give the same results.
 */
public final class Deidentifier {

    /**
     * Implementation Class UID (0002,0012) of the File Meta Information written for de-identified files: the value
     * the association layer announces for camel-dicom-secure (org.cameldicomsecure.net.assoc.AssociationConfig), kept
     * here because deid must not depend on net.
     */
    public static final String IMPLEMENTATION_CLASS_UID = org.cameldicomsecure.dicom.Implementation.CLASS_UID;

    /** Implementation Version Name (0002,0013) written with {@link #IMPLEMENTATION_CLASS_UID}. */
    public static final String IMPLEMENTATION_VERSION_NAME = org.cameldicomsecure.dicom.Implementation.VERSION_NAME;

    /** First value of De-identification Method (0012,0063). */
    static final String METHOD_TEXT = "camel-dicom-secure PS3.15 Annex E (Table E.1-1 2024b)";

    private static final System.Logger LOG = System.getLogger(Deidentifier.class.getName());

    private final DeidentificationOptions options;
    private final AttributeEncryptor encryptor;
    private final byte[] secret;
    private final boolean secretGenerated;
    private final Set<ProfileOption> attributeOptions;

    /** A de-identifier; with recipients in {@link DeidentificationOptions#encryptTo()} it encrypts with CMS. */
    public Deidentifier(DeidentificationOptions options) {
        this(options, options.encryptTo().isEmpty() ? null : new CmsAttributeEncryptor());
    }

    /** For tests and other encryptors: {@code encryptor} may be null when no recipient is configured. */
    Deidentifier(DeidentificationOptions options, AttributeEncryptor encryptor) {
        this.options = Objects.requireNonNull(options, "options");
        if (!options.encryptTo().isEmpty() && encryptor == null) {
            throw new IllegalArgumentException("recipients are configured but no encryptor");
        }
        this.encryptor = encryptor;
        byte[] s = options.uidSecret();
        if (s == null) {
            s = new byte[32];
            new SecureRandom().nextBytes(s);
            secretGenerated = true;
            LOG.log(System.Logger.Level.DEBUG, "no uidSecret configured: replacement UIDs and date shifts use a "
                    + "random secret and are consistent only within this Deidentifier");
        } else {
            secretGenerated = false;
        }
        this.secret = s;
        Set<ProfileOption> enabled = EnumSet.noneOf(ProfileOption.class);
        for (ProfileOption o : ProfileOption.values()) {
            if (o.enabledIn(options)) {
                enabled.add(o);
            }
        }
        this.attributeOptions = Collections.unmodifiableSet(enabled);
    }

    public DeidentificationOptions options() {
        return options;
    }

    /** Whether the secret was drawn at random because none was configured (worth a warning in the caller's log). */
    public boolean secretWasGenerated() {
        return secretGenerated;
    }

    /**
     * De-identifies {@code in}.
     *
     * @throws DeidentificationException if the instance cannot be de-identified as configured: SOP Instance UID
     *                                   missing, burned-in annotation without Clean Pixel Data, pixel data that
     *                                   cannot be cleaned, encryption failure
     */
    public DeidentificationResult deidentify(DicomFile in) throws DeidentificationException {
        Objects.requireNonNull(in, "in");
        Dataset src = in.dataset();
        String sopInstance = src.getString(Tag.SOPInstanceUID);
        if (sopInstance == null) {
            throw new DeidentificationException("SOP Instance UID (0008,0018) is missing");
        }
        if (!UidSyntax.isValid(sopInstance)) {
            throw new DeidentificationException("SOP Instance UID (0008,0018) is not a valid UID");
        }
        String sopClass = src.getString(Tag.SOPClassUID);
        PixelPlan pixels = planPixels(in);

        Dataset work = Datasets.copy(src);
        Keyed keyed = new Keyed(secret);
        UidMapper uids = new UidMapper(keyed);
        DateShifter shifter = options.retainLongitudinalTemporal() == LongitudinalTemporal.MODIFIED
                ? DateShifter.forPatient(keyed, src.getString(Tag.PatientID), src.getString(Tag.IssuerOfPatientID))
                : null;
        ProfileProcessor processor = new ProfileProcessor(ProfileTable.standard(), StructuredContentTable.standard(),
                new PrivateAttributeFilter(SafePrivateTable.standard(), options.retainSafePrivate()),
                attributeOptions, keyed, uids, shifter, sopClass, IodRequirements.Conditions.of(src));
        try {
            processor.processTopLevel(work);
        } catch (RuntimeException e) {
            // the JDK's messages may quote values (NumberFormatException does): name the kind of failure only
            throw new DeidentificationException("cannot de-identify the instance: malformed value ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (pixels != null) {
            if (pixels.value() instanceof byte[] b) {
                work.setBytes(Tag.PixelData, pixels.vr(), b);
            } else {
                work.setBulkData(Tag.PixelData, pixels.vr(), (BulkData) pixels.value());
            }
        }
        List<String> codes = appliedCodes(pixels);
        addMarkers(work, codes, pixels);

        Dataset originals = originals(src, work);
        if (!options.encryptTo().isEmpty()) {
            addEncryptedAttributes(work, originals);
        }
        String newSop = work.getString(Tag.SOPInstanceUID);
        DicomFile out = new DicomFile(in.isPart10() ? new byte[DicomFile.PREAMBLE_LENGTH] : null,
                in.isPart10() ? fileMeta(work, in) : null, work, in.transferSyntax());
        LOG.log(System.Logger.Level.DEBUG, "de-identified an instance: {0} top-level attributes changed, codes {1}",
                originals.size(), codes);
        return new DeidentificationResult(out, originals, src.getString(Tag.StudyInstanceUID),
                src.getString(Tag.SeriesInstanceUID), sopInstance, work.getString(Tag.StudyInstanceUID),
                work.getString(Tag.SeriesInstanceUID), newSop, codes);
    }

    // ------------------------------------------------------------------------------------------------ pixel data

    /** The cleaned pixel value to put in place, decided before anything else so that failures come first. */
    private PixelPlan planPixels(DicomFile in) throws DeidentificationException {
        Dataset ds = in.dataset();
        boolean hasPixels = ds.contains(Tag.PixelData);
        boolean clean = options.cleanPixelData() || options.cleanRecognizableVisualFeatures();
        boolean burnedIn = "YES".equals(ds.getString(Tag.BurnedInAnnotation));
        if (burnedIn && !(options.cleanPixelData() && hasPixels)
                && options.burnedInAnnotation() == BurnedInAnnotationPolicy.REJECT) {
            throw new DeidentificationException("Burned In Annotation (0028,0301) is YES and the Clean Pixel Data "
                    + "Option is off: the pixels may show identifying text (set burnedInAnnotation=ALLOW to accept)");
        }
        if (!clean) {
            return null;
        }
        if (ds.contains(Tag.FloatPixelData) || ds.contains(Tag.DoubleFloatPixelData)) {
            throw new DeidentificationException("cannot clean Float Pixel Data (7FE0,0008) or Double Float Pixel "
                    + "Data (7FE0,0009): not supported");
        }
        if (!hasPixels) {
            return null; // nothing to clean: the pixel Options do not apply to an instance without pixels
        }
        Object value = ds.value(Tag.PixelData);
        if (value instanceof Fragments || in.transferSyntax().encapsulated()) {
            throw new DeidentificationException("cannot clean compressed (encapsulated) Pixel Data in transfer syntax "
                    + in.transferSyntax().uid() + ": only native pixel data can be cleaned; decompress first");
        }
        String option = options.cleanPixelData() ? ProfileOption.CLEAN_PIXEL_DATA.meaning()
                : ProfileOption.CLEAN_RECOGNIZABLE_VISUAL_FEATURES.meaning();
        PixelCleaner.Layout layout = PixelCleaner.layout(ds);
        List<PixelMask.Rect> regions = PixelCleaner.regionsFor(ds, options.pixelMasks(), layout, option);
        return new PixelPlan(ds.vrOf(Tag.PixelData), PixelCleaner.clean(value, layout, regions));
    }

    /** The cleaned Pixel Data value and its VR. */
    record PixelPlan(VR vr, Object value) {
    }

    // ------------------------------------------------------------------------------------------------ results

    private List<String> appliedCodes(PixelPlan pixels) {
        List<String> codes = new ArrayList<>();
        for (ProfileOption o : attributeOptions) {
            boolean pixelOption = o == ProfileOption.CLEAN_PIXEL_DATA
                    || o == ProfileOption.CLEAN_RECOGNIZABLE_VISUAL_FEATURES;
            if (!pixelOption || pixels != null) {
                codes.add(o.code());
            }
        }
        return codes;
    }

    /** PS3.15 E.1.1 item 6, E.2, E.3.1, E.3.2, E.3.6: the attributes that say what was done. */
    private void addMarkers(Dataset ds, List<String> codes, PixelPlan pixels) {
        ds.setString(Tag.PatientIdentityRemoved, VR.CS, "YES");
        List<String> method = new ArrayList<>();
        method.add(METHOD_TEXT);
        Sequence seq = ds.newSequence(Tag.DeidentificationMethodCodeSequence);
        for (String code : codes) {
            ProfileOption o = byCode(code);
            method.add(o.meaning());
            Dataset item = seq.addItem();
            item.setString(Tag.CodeValue, VR.SH, o.code());
            item.setString(Tag.CodingSchemeDesignator, VR.SH, ProfileOption.SCHEME);
            item.setString(Tag.CodeMeaning, VR.LO, o.meaning());
        }
        ds.setString(Tag.DeidentificationMethod, VR.LO, method.toArray(new String[0]));
        if (pixels != null && options.cleanPixelData()) {
            ds.setString(Tag.BurnedInAnnotation, VR.CS, "NO");
        }
        if (pixels != null && options.cleanRecognizableVisualFeatures()) {
            ds.setString(Tag.RecognizableVisualFeatures, VR.CS, "NO");
        }
        ds.setString(Tag.LongitudinalTemporalInformationModified, VR.CS,
                switch (options.retainLongitudinalTemporal()) {
                    case OFF -> "REMOVED";
                    case FULL -> "UNMODIFIED";
                    case MODIFIED -> "MODIFIED";
                });
    }

    private static ProfileOption byCode(String code) {
        for (ProfileOption o : ProfileOption.values()) {
            if (o.code().equals(code)) {
                return o;
            }
        }
        throw new IllegalStateException(code);
    }

    /**
     * Original values of the top-level attributes changed or removed (E.1.1 items 1 and 5), Pixel Data excepted. Both
     * data sets are sorted by tag compared as unsigned ({@link Dataset}), so they are walked together.
     */
    private static Dataset originals(Dataset src, Dataset work) {
        Dataset out = new Dataset(src.bigEndian());
        int j = 0;
        int workSize = work.size();
        for (int i = 0; i < src.size(); i++) {
            int tag = src.tagAt(i);
            if (tag == Tag.PixelData || Tag.isGroupLength(tag)) {
                continue;
            }
            while (j < workSize && Integer.compareUnsigned(work.tagAt(j), tag) < 0) {
                j++;
            }
            if (j == workSize || work.tagAt(j) != tag || !Datasets.sameElementAt(src, i, work, j)) {
                Datasets.copyElement(src, i, out);
            }
        }
        if (!out.isEmpty() && src.contains(Tag.SpecificCharacterSet)) {
            Datasets.copyElement(src, indexOf(src, Tag.SpecificCharacterSet), out);
        }
        return out;
    }

    private static int indexOf(Dataset ds, int tag) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.tagAt(i) == tag) {
                return i;
            }
        }
        return -1;
    }

    private void addEncryptedAttributes(Dataset work, Dataset originals) throws DeidentificationException {
        Dataset wrapper = new Dataset(originals.bigEndian());
        byte[] charset = originals.contains(Tag.SpecificCharacterSet) ? originals.getBytes(Tag.SpecificCharacterSet)
                : null;
        if (charset != null) {
            wrapper.setBytes(Tag.SpecificCharacterSet, VR.CS, charset);
        }
        Dataset item = wrapper.newSequence(Tag.ModifiedAttributesSequence).addItem();
        Datasets.copyInto(originals, item);
        Dataset encrypted = encryptor.encrypt(wrapper, options.encryptTo());
        Sequence eas = work.newSequence(Tag.EncryptedAttributesSequence);
        Datasets.copyInto(encrypted, eas.addItem(encrypted.bigEndian(), true));
    }

    /** New File Meta Information (E.1.1 item 7): nothing of the original meta is kept but the transfer syntax. */
    private static Dataset fileMeta(Dataset work, DicomFile in) throws DeidentificationException {
        String sopClass = work.getString(Tag.SOPClassUID);
        if (sopClass == null) {
            throw new DeidentificationException("SOP Class UID (0008,0016) is missing: cannot write File Meta "
                    + "Information");
        }
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, work.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, in.transferSyntax().uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return meta;
    }
}
