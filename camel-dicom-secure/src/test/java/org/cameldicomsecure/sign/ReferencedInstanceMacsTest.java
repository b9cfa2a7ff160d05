package org.cameldicomsecure.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;

class ReferencedInstanceMacsTest {

    private static final String CT1 = "2.25.5001";
    private static final String CT2 = "2.25.5002";
    private static final String UNKNOWN = "2.25.5999";

    private final DicomSigner signer = new DicomSigner();

    /** A CT instance as read from a file, with SOP Instance UID {@code uid}. */
    private static Dataset ct(String uid) throws IOException {
        Dataset ds = SignTestData.ct(false);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        return DicomSignerTest.roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** CT1 unsigned, CT2 with a CREATOR signature. */
    private Map<String, Dataset> instances() throws Exception {
        Map<String, Dataset> map = new HashMap<>();
        map.put(CT1, ct(CT1));
        Dataset signed = ct(CT2);
        signer.sign(signed, DicomSignerTest.credentials(TestPki.rsa("modality")),
                SigningOptions.builder().profile(SignatureProfile.CREATOR).build());
        map.put(CT2, DicomSignerTest.roundTrip(signed, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        return map;
    }

    /** A Basic Text SR whose Current Requested Procedure Evidence references {@code current}. */
    private static Dataset report(String... current) {
        Dataset sr = new Dataset();
        sr.setString(Tag.SOPClassUID, VR.UI, UID.BasicTextSRStorage);
        sr.setString(Tag.SOPInstanceUID, VR.UI, "2.25.5100");
        sr.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1002");
        sr.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.5101");
        sr.setString(Tag.Manufacturer, VR.LO, "ACME");
        sr.setString(Tag.ValueType, VR.CS, "CONTAINER");
        sr.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        sr.setString(Tag.VerificationFlag, VR.CS, "UNVERIFIED");
        evidence(sr, Tag.CurrentRequestedProcedureEvidenceSequence, current);
        Dataset content = sr.newSequence(Tag.ContentSequence).addItem();
        content.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        content.setString(Tag.ValueType, VR.CS, "TEXT");
        content.setString(Tag.TextValue, VR.UT, "No findings.");
        return sr;
    }

    /** Adds an evidence sequence: one study, one series, a Referenced SOP item per UID. */
    private static void evidence(Dataset sr, int tag, String... uids) {
        Dataset study = sr.newSequence(tag).addItem();
        study.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1002");
        Dataset series = study.newSequence(Tag.ReferencedSeriesSequence).addItem();
        series.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.1003");
        Sequence sops = series.newSequence(Tag.ReferencedSOPSequence);
        for (String uid : uids) {
            Dataset sop = sops.addItem();
            sop.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
            sop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid);
        }
    }

    private static Dataset reference(Dataset sr, int evidence, int index) {
        return sr.getSequence(evidence).get(0).getSequence(Tag.ReferencedSeriesSequence).get(0)
                .getSequence(Tag.ReferencedSOPSequence).get(index);
    }

    private static Dataset macItem(Dataset sr, int index) {
        return reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, index)
                .getSequence(Tag.ReferencedSOPInstanceMACSequence).get(0);
    }

    private static List<Integer> tags(byte[] at) {
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < at.length; i += 4) {
            tags.add((at[i] & 0xFF | (at[i + 1] & 0xFF) << 8) << 16 | at[i + 2] & 0xFF | (at[i + 3] & 0xFF) << 8);
        }
        return tags;
    }

    /** A copy of {@code instance} (read back) with one pixel byte changed. */
    private static Dataset withPixelChanged(Dataset instance) throws IOException {
        Dataset copy = DicomSignerTest.roundTrip(instance, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] pixels = copy.getBytes(Tag.PixelData).clone();
        pixels[5] ^= 1;
        copy.setBytes(Tag.PixelData, VR.OW, pixels);
        return copy;
    }

    @Test
    void addToFillsBothReferencesAndTheSignedReportVerifies() throws Exception {
        Map<String, Dataset> instances = instances();
        Dataset sr = report(CT1, CT2);
        ReferencedInstanceMacs.Result r = ReferencedInstanceMacs.addTo(sr, instances::get, MacAlgorithm.SHA256);
        assertEquals(2, r.added());
        assertEquals(0, r.upToDate());
        assertEquals(2, r.completed());
        assertEquals(List.of(), r.notFound());
        assertEquals(List.of(), r.incomplete());

        for (int i = 0; i < 2; i++) {
            Dataset ref = reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, i);
            assertEquals(1, ref.getSequence(Tag.ReferencedSOPInstanceMACSequence).size());
            Dataset mac = macItem(sr, i);
            assertEquals(UID.ExplicitVRLittleEndian, mac.getString(Tag.MACCalculationTransferSyntaxUID));
            assertEquals("SHA256", mac.getString(Tag.MACAlgorithm));
            assertEquals(VR.OB, mac.vrOf(Tag.MAC));
            assertEquals(32, mac.getBytes(Tag.MAC).length);
            List<Integer> signed = tags(mac.getBytes(Tag.DataElementsSigned));
            assertTrue(signed.containsAll(List.of(Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.PatientName,
                    Tag.AnatomicRegionSequence, Tag.PixelData)), "every signable top-level element: " + signed);
            assertFalse(signed.contains(Tag.DigitalSignaturesSequence));
            assertFalse(signed.contains(Tag.MACParametersSequence));
            assertFalse(signed.contains(Tag.TransferSyntaxUID));
        }
        assertNull(reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 0)
                .getSequence(Tag.ReferencedDigitalSignatureSequence), "CT1 is not signed");
        Sequence sigRefs = reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 1)
                .getSequence(Tag.ReferencedDigitalSignatureSequence);
        Dataset held = instances.get(CT2).getSequence(Tag.DigitalSignaturesSequence).get(0);
        assertEquals(1, sigRefs.size());
        assertEquals(held.getString(Tag.DigitalSignatureUID), sigRefs.get(0).getString(Tag.DigitalSignatureUID));
        assertArrayEquals(held.getBytes(Tag.Signature), sigRefs.get(0).getBytes(Tag.Signature));

        signer.sign(sr, DicomSignerTest.credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.SR).purpose(SignaturePurpose.AUTHOR).build());
        Dataset received = DicomSignerTest.roundTrip(sr, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        VerificationResult v = DicomSignerTest.verify(received, SignatureRequirement.SR);
        assertEquals(SignatureStatus.VALID, v.status(), v.reason());
        assertTrue(v.signatures().get(0).info().signedTags().contains(Tag.CurrentRequestedProcedureEvidenceSequence));
        assertEquals(List.of(), ReferencedInstanceMacs.check(received, instances::get));

        // a later call on the signed report keeps the references (they match) and breaks nothing
        ReferencedInstanceMacs.Result again = ReferencedInstanceMacs.addTo(received, instances::get, MacAlgorithm.SHA256);
        assertEquals(0, again.added());
        assertEquals(2, again.upToDate());
        assertEquals(SignatureStatus.VALID, DicomSignerTest.verify(received, SignatureRequirement.SR).status());

        for (String changed : List.of(CT1, CT2)) {
            Map<String, Dataset> tampered = new HashMap<>(instances);
            tampered.put(changed, withPixelChanged(instances.get(changed)));
            List<String> problems = ReferencedInstanceMacs.check(received, tampered::get);
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("referenced instance " + changed + " ("), problems.get(0));
            assertTrue(problems.get(0).contains("does not match"), problems.get(0));
            assertFalse(problems.get(0).contains("Doe"), "no patient data");
            // the report itself is unchanged, its signature still valid
            assertEquals(SignatureStatus.VALID, DicomSignerTest.verify(received, SignatureRequirement.SR).status());
        }
    }

    @Test
    void theMacIsThePlainDigestOfTheByteStreamOfEverySignableElement() throws Exception {
        Dataset tiny = new Dataset();
        tiny.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);   // 25 bytes, padded to 26 with 00
        tiny.setString(Tag.SOPInstanceUID, VR.UI, CT1);                // 9 bytes, padded to 10 with 00
        tiny.setBytes(0x00090010, VR.UN, new byte[] {1, 2});           // UN: never in a MAC
        Dataset item = tiny.newSequence(Tag.AnatomicRegionSequence).addItem();
        item.setString(Tag.CodeValue, VR.SH, "T1");
        tiny.setBytes(Tag.PixelData, VR.OW, new byte[] {9, 8, 7, 6});
        Dataset sr = report(CT1);
        ReferencedInstanceMacs.addTo(sr, uid -> CT1.equals(uid) ? tiny : null, MacAlgorithm.SHA512);

        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(new byte[] {0x08, 0x00, 0x16, 0x00, 'U', 'I', 26, 0});
        s.writeBytes((UID.CTImageStorage + "\0").getBytes(StandardCharsets.US_ASCII));
        s.writeBytes(new byte[] {0x08, 0x00, 0x18, 0x00, 'U', 'I', 10, 0});
        s.writeBytes((CT1 + "\0").getBytes(StandardCharsets.US_ASCII));
        // a sequence: tag, VR, reserved, no length; Item tag without length; Sequence Delimitation tag
        s.writeBytes(new byte[] {0x08, 0x00, 0x18, 0x22, 'S', 'Q', 0, 0, (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0});
        s.writeBytes(new byte[] {0x08, 0x00, 0x00, 0x01, 'S', 'H', 2, 0, 'T', '1'});
        s.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0});
        s.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, 4, 0, 0, 0, 9, 8, 7, 6});
        byte[] expected = MessageDigest.getInstance("SHA-512").digest(s.toByteArray());

        Dataset mac = macItem(sr, 0);
        assertEquals("SHA512", mac.getString(Tag.MACAlgorithm));
        assertArrayEquals(expected, mac.getBytes(Tag.MAC), "unencrypted, no Digital Signatures item in the stream");
        assertEquals(List.of(Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.AnatomicRegionSequence, Tag.PixelData),
                tags(mac.getBytes(Tag.DataElementsSigned)));
    }

    @Test
    void aBigEndianInstanceHasTheSameMacAsItsLittleEndianTwin() throws Exception {
        Dataset little = report(CT1);
        Dataset big = report(CT1);
        Dataset le = ct(CT1);
        Dataset be = DicomSignerTest.roundTrip(le, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertTrue(be.bigEndian());
        ReferencedInstanceMacs.addTo(little, uid -> le, MacAlgorithm.SHA256);
        ReferencedInstanceMacs.addTo(big, uid -> be, MacAlgorithm.SHA256);
        assertArrayEquals(macItem(little, 0).getBytes(Tag.MAC), macItem(big, 0).getBytes(Tag.MAC));
        assertEquals(List.of(), ReferencedInstanceMacs.check(big, uid -> le));
    }

    @Test
    void unknownInstancesAreReportedAsNotFound() throws Exception {
        Map<String, Dataset> instances = instances();
        Dataset sr = report(CT1);
        evidence(sr, Tag.PertinentOtherEvidenceSequence, UNKNOWN, CT2);
        ReferencedInstanceMacs.Result r = ReferencedInstanceMacs.addTo(sr, instances::get, MacAlgorithm.SHA384);
        assertEquals(2, r.added());
        assertEquals(List.of(UNKNOWN), r.notFound());
        assertEquals(List.of(UNKNOWN), r.incomplete());
        assertNull(reference(sr, Tag.PertinentOtherEvidenceSequence, 0).getSequence(Tag.ReferencedSOPInstanceMACSequence),
                "left as it is");
        assertEquals("SHA384", reference(sr, Tag.PertinentOtherEvidenceSequence, 1)
                .getSequence(Tag.ReferencedSOPInstanceMACSequence).get(0).getString(Tag.MACAlgorithm));

        List<String> problems = ReferencedInstanceMacs.check(sr, instances::get);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("referenced instance " + UNKNOWN + " ((0040,A385)[0].(0008,1115)[0]"
                + ".(0008,1199)[0])"), problems.get(0));
        assertTrue(problems.get(0).contains("PS3.15 A.4"), problems.get(0));

        // a reference with a MAC whose instance has gone cannot be checked: not found
        Map<String, Dataset> fewer = new HashMap<>(instances);
        fewer.remove(CT2);
        List<String> gone = ReferencedInstanceMacs.check(sr, fewer::get);
        assertEquals(2, gone.size(), gone.toString());
        assertTrue(gone.get(1).startsWith("referenced instance " + CT2 + " "), gone.get(1));
        assertTrue(gone.get(1).contains("not found"), gone.get(1));
    }

    @Test
    void checkNamesRemovedSignaturesMissingElementsAndBadAlgorithms() throws Exception {
        Map<String, Dataset> instances = instances();
        Dataset sr = report(CT1, CT2);
        ReferencedInstanceMacs.addTo(sr, instances::get, MacAlgorithm.SHA256);

        // the MAC leaves the Digital Signatures out, the signature reference sees the removal
        Map<String, Dataset> unsigned = new HashMap<>(instances);
        Dataset stripped = DicomSignerTest.roundTrip(instances.get(CT2), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        SignatureRemover.removeAll(stripped);
        unsigned.put(CT2, stripped);
        List<String> p = ReferencedInstanceMacs.check(sr, unsigned::get);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("referenced instance " + CT2), p.get(0));
        assertTrue(p.get(0).contains("holds no Digital Signature UID"), p.get(0));

        Map<String, Dataset> missing = new HashMap<>(instances);
        Dataset noName = DicomSignerTest.roundTrip(instances.get(CT1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        noName.remove(Tag.PatientName);
        missing.put(CT1, noName);
        p = ReferencedInstanceMacs.check(sr, missing::get);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("lists (0010,0010), which is missing"), p.get(0));

        macItem(sr, 0).setString(Tag.MACAlgorithm, VR.CS, "WHIRLPOOL");
        macItem(sr, 1).setString(Tag.MACAlgorithm, VR.CS, "SHA3_256");
        p = ReferencedInstanceMacs.check(sr, instances::get);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("referenced instance " + CT1) && p.get(0).contains("unknown MAC Algorithm"),
                p.get(0));
        assertTrue(p.get(1).startsWith("referenced instance " + CT2) && p.get(1).contains("PS3.15 C.4"), p.get(1));

        macItem(sr, 0).setString(Tag.MACAlgorithm, VR.CS, "SHA256");
        macItem(sr, 0).setString(Tag.MACCalculationTransferSyntaxUID, VR.UI, UID.ImplicitVRLittleEndian);
        reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 1).getSequence(Tag.ReferencedSOPInstanceMACSequence)
                .addItem();
        p = ReferencedInstanceMacs.check(sr, instances::get);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("not an explicit VR little endian"), p.get(0));
        assertTrue(p.get(1).contains("2 items; exactly one"), p.get(1));

        Map<String, Dataset> otherClass = new HashMap<>(instances);
        Dataset mr = DicomSignerTest.roundTrip(instances.get(CT1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        mr.setString(Tag.SOPClassUID, VR.UI, UID.MRImageStorage);
        otherClass.put(CT1, mr);
        Dataset ok = report(CT1);
        ReferencedInstanceMacs.addTo(ok, instances::get, MacAlgorithm.SHA256);
        p = ReferencedInstanceMacs.check(ok, otherClass::get);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("SOP Class UID " + UID.MRImageStorage), p.get(0));
        SignatureException e = assertThrows(SignatureException.class,
                () -> ReferencedInstanceMacs.addTo(report(CT1), otherClass::get, MacAlgorithm.SHA256));
        assertTrue(e.getMessage().contains("SOP Class UID " + UID.MRImageStorage), e.getMessage());
    }

    @Test
    void addToRefusesWhatWouldBreakASignatureOrHideAChangeAndLeavesTheReportAsItWas() throws Exception {
        Map<String, Dataset> instances = instances();
        Function<String, Dataset> lookup = instances::get;

        for (MacAlgorithm weak : List.of(MacAlgorithm.SHA1, MacAlgorithm.MD5, MacAlgorithm.SHA3_256)) {
            SignatureException e = assertThrows(SignatureException.class,
                    () -> ReferencedInstanceMacs.addTo(report(CT1), lookup, weak));
            assertTrue(e.getMessage().contains("PS3.15 C.4"), e.getMessage());
        }

        // signed before the references were completed: the SR signature covers (0040,A375)
        Dataset signedFirst = report(CT1, CT2);
        signer.sign(signedFirst, DicomSignerTest.credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.SR).purpose(SignaturePurpose.AUTHOR).build());
        SignatureException covered = assertThrows(SignatureException.class,
                () -> ReferencedInstanceMacs.addTo(signedFirst, lookup, MacAlgorithm.SHA256));
        assertTrue(covered.getMessage().contains("covers (0040,A375)"), covered.getMessage());
        assertTrue(covered.getMessage().startsWith("referenced instance " + CT1), covered.getMessage());
        assertNull(reference(signedFirst, Tag.CurrentRequestedProcedureEvidenceSequence, 0)
                .getSequence(Tag.ReferencedSOPInstanceMACSequence));
        assertEquals(SignatureStatus.VALID, DicomSignerTest.verify(signedFirst, SignatureRequirement.SR).status());

        // an existing reference that no longer matches is not silently replaced, and nothing else is added either
        Dataset sr = report(CT2, CT1);
        ReferencedInstanceMacs.addTo(sr, lookup, MacAlgorithm.SHA256);
        Dataset first = reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 0);
        first.remove(Tag.ReferencedSOPInstanceMACSequence);
        first.remove(Tag.ReferencedDigitalSignatureSequence);
        Map<String, Dataset> tampered = new HashMap<>(instances);
        tampered.put(CT1, withPixelChanged(instances.get(CT1)));
        SignatureException stale = assertThrows(SignatureException.class,
                () -> ReferencedInstanceMacs.addTo(sr, tampered::get, MacAlgorithm.SHA256));
        assertTrue(stale.getMessage().startsWith("referenced instance " + CT1), stale.getMessage());
        assertTrue(stale.getMessage().contains("does not match"), stale.getMessage());
        assertFalse(first.contains(Tag.ReferencedSOPInstanceMACSequence), "no partial change");
        assertFalse(first.contains(Tag.ReferencedDigitalSignatureSequence), "no partial change");

        Dataset noUid = report(CT1);
        reference(noUid, Tag.CurrentRequestedProcedureEvidenceSequence, 0).remove(Tag.ReferencedSOPInstanceUID);
        SignatureException e = assertThrows(SignatureException.class,
                () -> ReferencedInstanceMacs.addTo(noUid, lookup, MacAlgorithm.SHA256));
        assertTrue(e.getMessage().contains("no Referenced SOP Instance UID (0008,1155)"), e.getMessage());
    }

    @Test
    void undoRemovesOnlyWhatTheCallAdded() throws Exception {
        Map<String, Dataset> instances = instances();
        Dataset sr = report(CT1);
        ReferencedInstanceMacs.addTo(sr, instances::get, MacAlgorithm.SHA256);
        byte[] before = reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 0)
                .getSequence(Tag.ReferencedSOPInstanceMACSequence).get(0).getBytes(Tag.MAC);
        evidence(sr, Tag.PertinentOtherEvidenceSequence, CT2);
        ReferencedInstanceMacs.Result r = ReferencedInstanceMacs.addTo(sr, instances::get, MacAlgorithm.SHA256);
        assertEquals(1, r.added());
        assertEquals(1, r.upToDate());
        Dataset second = reference(sr, Tag.PertinentOtherEvidenceSequence, 0);
        assertTrue(second.contains(Tag.ReferencedSOPInstanceMACSequence));
        assertTrue(second.contains(Tag.ReferencedDigitalSignatureSequence));
        r.undo();
        assertFalse(second.contains(Tag.ReferencedSOPInstanceMACSequence));
        assertFalse(second.contains(Tag.ReferencedDigitalSignatureSequence));
        assertArrayEquals(before, reference(sr, Tag.CurrentRequestedProcedureEvidenceSequence, 0)
                .getSequence(Tag.ReferencedSOPInstanceMACSequence).get(0).getBytes(Tag.MAC), "kept");
    }
}
