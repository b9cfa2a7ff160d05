package org.cameldicomsecure.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;

class DicomSignerTest {

    private final DicomSigner signer = new DicomSigner();

    static Dataset ct(boolean bigEndian) {
        return SignTestData.ct(bigEndian);
    }

    static DicomFile part10(Dataset ds, TransferSyntax ts) {
        return SignTestData.part10(ds, ts);
    }

    /** Writes and reads back, so verification sees what a receiver would. */
    static Dataset roundTrip(Dataset ds, TransferSyntax ts) throws IOException {
        byte[] bytes = new DicomWriter().toBytes(part10(ds, ts));
        return new DicomReader().read(bytes).dataset();
    }

    static SignerCredentials credentials(TestPki.Signer s) throws SignatureException {
        return SignerCredentials.of(s.key(), s.cert());
    }

    static VerificationResult verify(Dataset ds, SignatureRequirement req) {
        return new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert())).requirement(req).build()).verify(ds);
    }

    private SigningOptions creator() {
        return SigningOptions.builder().profile(SignatureProfile.CREATOR).build();
    }

    @Test
    void creatorSignatureCoversTheProfileAndSurvivesTheCodec() throws Exception {
        Dataset ds = ct(false);
        SignatureInfo info = signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        assertEquals(1, info.macIdNumber());
        assertTrue(info.signedTags().contains(Tag.PixelData));
        assertTrue(info.signedTags().contains(Tag.Manufacturer));
        assertTrue(info.signedTags().contains(Tag.SOPInstanceUID));
        assertFalse(info.signedTags().contains(Tag.PatientName), "CREATOR does not sign patient data");
        assertFalse(info.signedTags().contains(Tag.SpecificCharacterSet));

        Dataset mac = ds.getSequence(Tag.MACParametersSequence).get(0);
        assertEquals("SHA256", mac.getString(Tag.MACAlgorithm));
        assertEquals(UID.ExplicitVRLittleEndian, mac.getString(Tag.MACCalculationTransferSyntaxUID));
        Dataset sig = ds.getSequence(Tag.DigitalSignaturesSequence).get(0);
        assertEquals("X509_1993_SIG", sig.getString(Tag.CertificateType));
        assertTrue(sig.getString(Tag.DigitalSignatureDateTime).matches("\\d{14}\\.\\d{6}[+-]\\d{4}"));
        assertEquals(256, sig.getBytes(Tag.Signature).length);

        for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            VerificationResult r = verify(roundTrip(ds, ts), SignatureRequirement.CREATOR);
            assertEquals(SignatureStatus.VALID, r.status(), ts + ": " + r.reason());
            assertTrue(r.signatures().get(0).profiles().containsAll(Set.of(SignatureProfile.BASE, SignatureProfile.CREATOR)));
        }
    }

    @Test
    void aChangedSignedByteFailsAndAChangeOutsideDoesNot() throws Exception {
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());

        Dataset outside = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        outside.setString(Tag.PatientName, VR.PN, "Other^Name");
        assertEquals(SignatureStatus.VALID, verify(outside, null).status());

        Dataset pixels = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] p = pixels.getBytes(Tag.PixelData).clone();
        p[5] ^= 1;
        pixels.setBytes(Tag.PixelData, VR.OW, p);
        VerificationResult r = verify(pixels, null);
        assertEquals(SignatureStatus.INVALID, r.status());
        assertTrue(r.reason().contains("does not match"), r.reason());

        Dataset nested = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ds.setString(Tag.Manufacturer, VR.LO, "ACME2");
        assertEquals(SignatureStatus.INVALID, verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), null).status());
        nested.remove(Tag.Rows);
        VerificationResult missing = verify(nested, null);
        assertEquals(SignatureStatus.INVALID, missing.status());
        assertTrue(missing.reason().contains("(0028,0010) is missing"), missing.reason());
    }

    @Test
    void baseSignsEverythingSignableAndASequenceChangeIsSeen() throws Exception {
        Dataset ds = ct(false);
        ds.setBytes(0x00091010, VR.UN, new byte[] {1, 2});
        SignatureInfo info = signer.sign(ds, credentials(TestPki.rsa("modality")), SigningOptions.builder().build());
        assertTrue(info.signedTags().contains(Tag.PatientName));
        assertTrue(info.signedTags().contains(Tag.AnatomicRegionSequence));
        assertFalse(info.signedTags().contains(0x00091010), "UN is never signed");
        Dataset back = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(SignatureStatus.VALID, verify(back, SignatureRequirement.ANY).status());
        back.getSequence(Tag.AnatomicRegionSequence).get(0).setString(Tag.CodeMeaning, VR.LO, "Liver");
        assertEquals(SignatureStatus.INVALID, verify(back, null).status());
    }

    @Test
    void sequenceLengthEncodingDoesNotChangeTheMac() throws Exception {
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), SigningOptions.builder().build());
        Sequence s = ds.getSequence(Tag.AnatomicRegionSequence);
        s.setUndefinedLength(!s.undefinedLength());
        s.get(0).setUndefinedLength(!s.get(0).undefinedLength());
        assertEquals(SignatureStatus.VALID, verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), null).status());
    }

    @Test
    void ecdsaSignsOnlyWithoutAProfileAndIsNotACreatorSignature() throws Exception {
        Dataset ds = ct(false);
        SignatureException e = assertThrows(SignatureException.class,
                () -> signer.sign(ds, credentials(TestPki.ec("ec-modality")), creator()));
        assertTrue(e.getMessage().contains("RSA profile"), e.getMessage());
        assertFalse(ds.contains(Tag.DigitalSignaturesSequence), "nothing is left behind");
        assertFalse(ds.contains(Tag.MACParametersSequence));

        signer.sign(ds, credentials(TestPki.ec("ec-modality")),
                SigningOptions.builder().profile(SignatureProfile.NONE).macAlgorithm(MacAlgorithm.SHA384).build());
        Dataset back = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(SignatureStatus.VALID, verify(back, SignatureRequirement.ANY).status());
        VerificationResult creator = verify(back, SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, creator.status());
        assertTrue(creator.reason().contains("no valid CREATOR signature"), creator.reason());
        assertTrue(creator.signatures().get(0).profiles().isEmpty());
    }

    @Test
    void explicitTagsAndTheirErrors() throws Exception {
        SigningOptions tags = SigningOptions.builder().profile(SignatureProfile.NONE)
                .tags(List.of(Tag.Rows, Tag.SOPInstanceUID)).build();
        Dataset ds = ct(false);
        SignatureInfo info = signer.sign(ds, credentials(TestPki.rsa("modality")), tags);
        assertEquals(List.of(Tag.SOPInstanceUID, Tag.Rows), info.signedTags(), "data set order");
        VerificationResult notCreator = verify(ds, SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, notCreator.status());
        assertTrue(notCreator.reason().contains("unsigned: (0008,0016)"), notCreator.reason());

        SignatureException absent = assertThrows(SignatureException.class, () -> signer.sign(ct(false),
                credentials(TestPki.rsa("modality")), SigningOptions.builder().profile(SignatureProfile.NONE)
                        .tags(List.of(Tag.AccessionNumber)).build()));
        assertTrue(absent.getMessage().contains("(0008,0050) to be signed is not in the data set"), absent.getMessage());
        Dataset un = ct(false);
        un.setBytes(0x00091010, VR.UN, new byte[] {1, 2});
        SignatureException unsignable = assertThrows(SignatureException.class, () -> signer.sign(un,
                credentials(TestPki.rsa("modality")), SigningOptions.builder().profile(SignatureProfile.NONE)
                        .tags(List.of(0x00091010)).build()));
        assertTrue(unsignable.getMessage().contains("VR UN"), unsignable.getMessage());
        SignatureException group = assertThrows(SignatureException.class, () -> signer.sign(ct(false),
                credentials(TestPki.rsa("modality")), SigningOptions.builder().profile(SignatureProfile.NONE)
                        .tags(List.of(Tag.MACParametersSequence)).build()));
        assertTrue(group.getMessage().contains("excludes"), group.getMessage());
    }

    @Test
    void twoSignaturesGetDistinctMacIdsAndBothVerify() throws Exception {
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        SignatureInfo second = signer.sign(ds, credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.AUTHORIZATION).macAlgorithm(MacAlgorithm.SHA512)
                        .purpose(SignaturePurpose.VERIFICATION).build());
        assertEquals(2, second.macIdNumber());
        assertEquals(2, ds.getSequence(Tag.DigitalSignaturesSequence).size());
        assertEquals(2, ds.getSequence(Tag.MACParametersSequence).size());
        VerificationResult r = verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                SignatureRequirement.AUTHORIZATION);
        assertEquals(SignatureStatus.VALID, r.status(), r.reason());
        assertEquals("5", r.signatures().get(1).info().purpose());
        assertEquals("SHA512", r.signatures().get(1).info().macAlgorithm());
    }

    @Test
    void signaturesInsideSequenceItemsCount() throws Exception {
        Dataset ds = ct(false);
        SignatureInfo info = signer.sign(ds, ItemPath.parse("AnatomicRegionSequence[0]"),
                credentials(TestPki.rsa("modality")), SigningOptions.builder().build());
        assertEquals("(0008,2218)[0]", info.location());
        Dataset item = ds.getSequence(Tag.AnatomicRegionSequence).get(0);
        assertTrue(item.contains(Tag.DigitalSignaturesSequence));
        assertFalse(ds.contains(Tag.DigitalSignaturesSequence));
        Dataset back = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        VerificationResult r = verify(back, SignatureRequirement.ANY);
        assertEquals(SignatureStatus.VALID, r.status(), r.reason());
        assertEquals("(0008,2218)[0]", r.signatures().get(0).info().location());
        // a top-level signature gets the next MAC ID of the instance
        assertEquals(2, signer.sign(ds, credentials(TestPki.rsa("modality")), creator()).macIdNumber());
        SignatureException e = assertThrows(SignatureException.class, () -> signer.sign(ds,
                ItemPath.parse("AnatomicRegionSequence[3]"), credentials(TestPki.rsa("modality")),
                SigningOptions.builder().build()));
        assertTrue(e.getMessage().contains("has 1 item"), e.getMessage());
        SignatureException creatorInItem = assertThrows(SignatureException.class, () -> signer.sign(ds,
                ItemPath.parse("AnatomicRegionSequence[0]"), credentials(TestPki.rsa("modality")), creator()));
        assertTrue(creatorInItem.getMessage().contains("top level"), creatorInItem.getMessage());
        // a nested signature never counts as a CREATOR one, whatever it covers
        Dataset onlyNested = ct(false);
        signer.sign(onlyNested, ItemPath.parse("AnatomicRegionSequence[0]"), credentials(TestPki.rsa("modality")),
                SigningOptions.builder().build());
        VerificationResult creatorRequired = verify(onlyNested, SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, creatorRequired.status());
    }

    @Test
    void encapsulatedPixelDataIsSignedFragmentByFragment() throws Exception {
        Dataset ds = ct(false);
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {1, 2, 3, 4});
        f.add(new byte[] {5, 6});
        ds.setFragments(Tag.PixelData, f);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        TransferSyntax jpeg = TransferSyntax.of(UID.JPEGLossless);
        Dataset back = roundTrip(ds, jpeg);
        assertEquals(SignatureStatus.VALID, verify(back, SignatureRequirement.CREATOR).status());
        // moving a byte from one fragment to the next keeps the bytes but not the MAC
        Fragments moved = new Fragments(VR.OB);
        moved.add(new byte[0]);
        moved.add(new byte[] {1, 2});
        moved.add(new byte[] {3, 4, 5, 6});
        back.setFragments(Tag.PixelData, moved);
        assertEquals(SignatureStatus.INVALID, verify(back, null).status());
    }

    @Test
    void certificateProblemsAreNamed() throws Exception {
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        VerificationResult untrusted = new SignatureVerifier(VerificationOptions.builder().build()).verify(ds);
        assertEquals(SignatureStatus.INVALID, untrusted.status());
        assertTrue(untrusted.reason().contains("no trusted certificates"), untrusted.reason());

        TestPki.Signer other = TestPki.rsa("not-the-ca");
        VerificationResult wrongCa = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(other.cert())).build()).verify(ds);
        assertEquals(SignatureStatus.INVALID, wrongCa.status());
        assertTrue(wrongCa.reason().contains("is not trusted"), wrongCa.reason());

        VerificationResult revoked = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert()))
                .crls(List.of(TestPki.crlRevoking(TestPki.rsa("modality").cert()))).build()).verify(ds);
        assertEquals(SignatureStatus.INVALID, revoked.status());
        assertTrue(revoked.reason().toLowerCase().contains("revoked"), revoked.reason());
        VerificationResult notRevoked = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert()))
                .crls(List.of(TestPki.crlRevoking(TestPki.rsa("someone-else").cert()))).build()).verify(ds);
        assertEquals(SignatureStatus.VALID, notRevoked.status(), notRevoked.reason());

        TestPki.Signer expired = TestPki.signer("RSA", "expired", Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)), KeyUsage.digitalSignature);
        SignatureException e = assertThrows(SignatureException.class,
                () -> signer.sign(ct(false), credentials(expired), creator()));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());

        TestPki.Signer encipherOnly = TestPki.signer("RSA", "encipher", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(1)), KeyUsage.keyEncipherment);
        SignatureException usage = assertThrows(SignatureException.class, () -> credentials(encipherOnly));
        assertTrue(usage.getMessage().contains("may not sign"), usage.getMessage());
        SignatureException mismatch = assertThrows(SignatureException.class,
                () -> SignerCredentials.of(TestPki.rsa("modality").key(), TestPki.rsa("radiologist").cert()));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
    }

    @Test
    void theChainIsCheckedAtTheSigningTime() throws Exception {
        // expired yesterday, but valid when the signature was made two days ago
        TestPki.Signer expiredNow = TestPki.signer("RSA", "expired-now", Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1)), KeyUsage.digitalSignature);
        Clock twoDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.ofHours(1));
        Dataset ds = ct(false);
        SignatureInfo info = signer.sign(ds, credentials(expiredNow),
                SigningOptions.builder().profile(SignatureProfile.CREATOR).clock(twoDaysAgo).build());
        assertTrue(info.dateTime().endsWith("+0100"), info.dateTime());
        VerificationResult r = verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), null);
        assertEquals(SignatureStatus.VALID, r.status(), r.reason());

        Clock beforeIssue = Clock.fixed(Instant.now().minus(Duration.ofDays(4)), ZoneOffset.UTC);
        SignatureException e = assertThrows(SignatureException.class, () -> signer.sign(ct(false),
                credentials(expiredNow), SigningOptions.builder().clock(beforeIssue).build()));
        assertTrue(e.getMessage().contains("not valid before"), e.getMessage());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z"), SignatureVerifier.parseDateTime("20261201120000.000000+0100"));
        assertEquals(Instant.parse("2026-12-01T12:00:00.5Z"), SignatureVerifier.parseDateTime("20261201120000.5"));
    }

    @Test
    void timestampsAreRequestedOverTheSignatureAndChecked() throws Exception {
        Dataset ds = ct(false);
        byte[][] seen = new byte[1][];
        Timestamper fake = sig -> {
            seen[0] = sig;
            return new byte[] {0x30, 0x03, 0x02, 0x01, 0x07};
        };
        signer.sign(ds, credentials(TestPki.ec("ec-modality")),
                SigningOptions.builder().profile(SignatureProfile.NONE).timestamper(fake).build());
        Dataset sig = ds.getSequence(Tag.DigitalSignaturesSequence).get(0);
        assertEquals("CMS_TSP", sig.getString(Tag.CertifiedTimestampType));
        byte[] stored = sig.getBytes(Tag.Signature);
        assertEquals(0, stored.length % 2);
        assertEquals(seen[0].length, SignatureVerifier.withoutPad(stored).length, "the TSA sees the signature without pad");

        VerificationResult noChecker = verify(ds, null);
        assertEquals(SignatureStatus.INVALID, noChecker.status());
        assertTrue(noChecker.reason().contains("timestamp"), noChecker.reason());
        Instant certified = Instant.now().minusSeconds(5);
        VerificationResult checked = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert())).timestampValidator((token, signature) -> {
                    assertEquals(5, token.length, "pad byte removed");
                    assertEquals(seen[0].length, signature.length);
                    return certified;
                }).build()).verify(ds);
        assertEquals(SignatureStatus.VALID, checked.status(), checked.reason());
        assertEquals(certified, checked.signatures().get(0).timestampTime());
        VerificationResult refused = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert())).timestampValidator((token, signature) -> {
                    throw new SignatureException("imprint mismatch");
                }).build()).verify(ds);
        assertEquals(SignatureStatus.INVALID, refused.status());
        assertTrue(refused.reason().contains("imprint mismatch"));
    }

    @Test
    void srSignaturesNeedAPurposeAndVerifiedReportsAVerificationSignature() throws Exception {
        Dataset sr = new Dataset();
        sr.setString(Tag.SOPClassUID, VR.UI, UID.BasicTextSRStorage);
        sr.setString(Tag.SOPInstanceUID, VR.UI, "2.25.77");
        sr.setString(Tag.StudyInstanceUID, VR.UI, "2.25.78");
        sr.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.79");
        sr.setString(Tag.Manufacturer, VR.LO, "ACME");
        sr.setString(Tag.ValueType, VR.CS, "CONTAINER");
        sr.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        sr.setString(Tag.VerificationFlag, VR.CS, "VERIFIED");
        sr.setString(Tag.VerificationDateTime, VR.DT, "20261201120000");
        Dataset observer = sr.newSequence(Tag.VerifyingObserverSequence).addItem();
        observer.setString(Tag.VerifyingObserverName, VR.PN, "Radiologist^Rita");
        Dataset content = sr.newSequence(Tag.ContentSequence).addItem();
        content.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        content.setString(Tag.ValueType, VR.CS, "TEXT");
        content.setString(Tag.TextValue, VR.UT, "No findings.");

        SignatureException noPurpose = assertThrows(SignatureException.class, () -> signer.sign(sr,
                credentials(TestPki.rsa("radiologist")), SigningOptions.builder().profile(SignatureProfile.SR).build()));
        assertTrue(noPurpose.getMessage().contains("purpose"), noPurpose.getMessage());

        Dataset authorOnly = roundTrip(sr, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        SignatureInfo author = signer.sign(authorOnly, credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.SR).purpose(SignaturePurpose.AUTHOR).build());
        assertTrue(author.signedTags().contains(Tag.ContentSequence));
        assertFalse(author.signedTags().contains(Tag.SOPInstanceUID), "only a verification signature needs it");
        VerificationResult r = verify(authorOnly, SignatureRequirement.SR);
        assertEquals(SignatureStatus.INVALID, r.status());
        assertTrue(r.reason().contains("VERIFICATION"), r.reason());

        SignatureInfo verification = signer.sign(authorOnly, credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.SR).purpose(SignaturePurpose.VERIFICATION).build());
        assertTrue(verification.signedTags().containsAll(List.of(Tag.SOPInstanceUID, Tag.VerificationFlag,
                Tag.VerifyingObserverSequence, Tag.VerificationDateTime)));
        VerificationResult ok = verify(roundTrip(authorOnly, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                SignatureRequirement.SR);
        assertEquals(SignatureStatus.VALID, ok.status(), ok.reason());

        SignatureException notSr = assertThrows(SignatureException.class, () -> signer.sign(ct(false),
                credentials(TestPki.rsa("radiologist")), SigningOptions.builder().profile(SignatureProfile.SR)
                        .purpose(SignaturePurpose.AUTHOR).build()));
        assertTrue(notSr.getMessage().contains("Structured Reports"), notSr.getMessage());
    }

    @Test
    void unsignedAndBrokenStructures() throws Exception {
        VerificationResult absent = verify(ct(false), null);
        assertEquals(SignatureStatus.ABSENT, absent.status());
        assertNull(absent.reason());
        VerificationResult required = verify(ct(false), SignatureRequirement.ANY);
        assertEquals(SignatureStatus.ABSENT, required.status());
        assertTrue(required.reason().contains("no digital signature"));

        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        Dataset noMac = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        noMac.remove(Tag.MACParametersSequence);
        assertTrue(verify(noMac, null).reason().contains("no MAC Parameters Sequence"));

        Dataset unknownMac = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        unknownMac.getSequence(Tag.MACParametersSequence).get(0).setString(Tag.MACAlgorithm, VR.CS, "WHIRLPOOL");
        String why = verify(unknownMac, null).reason();
        assertTrue(why.contains("unknown MAC Algorithm \"WHIRLPOOL\""), why);

        Dataset noSignature = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        noSignature.getSequence(Tag.DigitalSignaturesSequence).get(0).remove(Tag.Signature);
        assertTrue(verify(noSignature, null).reason().contains("no Signature (0400,0120)"));

        Dataset badCert = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        badCert.getSequence(Tag.DigitalSignaturesSequence).get(0).setBytes(Tag.CertificateOfSigner, VR.OB, new byte[] {1, 2});
        assertTrue(verify(badCert, null).reason().contains("not an X.509 certificate"));

        Dataset changedItem = roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        changedItem.getSequence(Tag.DigitalSignaturesSequence).get(0).setString(Tag.DigitalSignatureUID, VR.UI, "2.25.9");
        assertEquals(SignatureStatus.INVALID, verify(changedItem, null).status(), "the item's own elements are signed");
    }

    @Test
    void olderAlgorithmsVerifyButDoNotSign() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningOptions.builder().macAlgorithm(MacAlgorithm.RIPEMD160));
        assertTrue(e.getMessage().contains("only when verifying"));
        assertThrows(IllegalArgumentException.class, () -> SigningOptions.builder().macAlgorithm(MacAlgorithm.SHA1));
        // a RIPEMD160 signature, as dcmsign makes by default, verifies
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        Dataset mac = ds.getSequence(Tag.MACParametersSequence).get(0);
        assertNotEquals("RIPEMD160", mac.getString(Tag.MACAlgorithm));
        for (MacAlgorithm a : MacAlgorithm.values()) {
            assertEquals(a, MacAlgorithm.of(a.term()));
            Jca.digest(a.digestName());
            Jca.signature(a.signatureName("RSA"));
            if (a.signingAllowed()) {
                Jca.signature(a.signatureName("EC"));
            }
        }
    }

    @Test
    void creatorAlsoSignsWhatDcmtksProfileCheckWants() throws Exception {
        Dataset ds = ct(false);
        ds.setString(Tag.AcquisitionDate, VR.DA, "20261201");
        ds.setString(0x00091010, VR.LO, "private, signed only with a Creator Version UID");
        SignatureInfo plain = signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        assertTrue(plain.signedTags().contains(Tag.AcquisitionDate));
        assertFalse(plain.signedTags().contains(0x00091010));
        ds.setString(0x00089123, VR.UI, "2.25.5");
        ds.setBytes(0x00091011, VR.UN, new byte[] {1, 2});
        SignatureInfo raw = signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        assertTrue(raw.signedTags().contains(0x00091010));
        assertFalse(raw.signedTags().contains(0x00091011), "an unsignable private element is left out, not an error");
        assertFalse(ProfileAttributeTable.standard().requires("CREATOR", Tag.AcquisitionDate),
                "not in the 2024c minimum, so verification does not demand it");
    }

    @Test
    void removingOneSignatureKeepsTheOthersValid() throws Exception {
        Dataset ds = ct(false);
        SignatureInfo first = signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        SignatureInfo second = signer.sign(ds, credentials(TestPki.rsa("radiologist")),
                SigningOptions.builder().profile(SignatureProfile.AUTHORIZATION).build());
        signer.sign(ds, ItemPath.parse("AnatomicRegionSequence[0]"), credentials(TestPki.rsa("modality")),
                SigningOptions.builder().build());
        SignatureRemover.remove(ds, first.uid());
        assertEquals(1, ds.getSequence(Tag.MACParametersSequence).size(), "its MAC parameters went with it");
        VerificationResult r = verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), null);
        assertEquals(SignatureStatus.VALID, r.status(), r.reason());
        assertEquals(List.of(second.uid()), r.signatures().stream().filter(c -> c.info().location().isEmpty())
                .map(c -> c.info().uid()).toList());
        SignatureException e = assertThrows(SignatureException.class, () -> SignatureRemover.remove(ds, first.uid()));
        assertTrue(e.getMessage().contains("no digital signature with UID"));
        assertEquals(2, SignatureRemover.removeAll(ds));
        assertFalse(ds.contains(Tag.DigitalSignaturesSequence));
        assertFalse(ds.contains(Tag.MACParametersSequence));
        assertFalse(ds.getSequence(Tag.AnatomicRegionSequence).get(0).contains(Tag.DigitalSignaturesSequence));
        assertEquals(SignatureStatus.ABSENT, verify(ds, null).status());
    }

    @Test
    void aReusedVerifierRemembersTrustedSignersOnly() throws Exception {
        SignatureVerifier verifier = new SignatureVerifier(VerificationOptions.builder()
                .trustedCertificates(List.of(TestPki.ca().cert())).build());
        Dataset a = ct(false);
        signer.sign(a, credentials(TestPki.rsa("modality")), creator());
        Dataset b = ct(false);
        signer.sign(b, credentials(TestPki.rsa("radiologist")), creator());
        var selfSigned = org.cameldicomsecure.sign.cms.TestRecipients.rsa("self-signed-signer", 2048);
        Dataset c = ct(false);
        signer.sign(c, SignerCredentials.of(selfSigned.key(), selfSigned.cert()), creator());
        for (int round = 0; round < 2; round++) {
            assertEquals(SignatureStatus.VALID, verifier.verify(a).status());
            assertEquals(SignatureStatus.VALID, verifier.verify(b).status());
            assertEquals(SignatureStatus.INVALID, verifier.verify(c).status(), "round " + round);
        }
    }

    @Test
    void aCertificateThatMayNotSignIsNamedOnVerify() throws Exception {
        Dataset ds = ct(false);
        signer.sign(ds, credentials(TestPki.rsa("modality")), creator());
        // the same key pair certified for key encipherment only; Certificate of Signer is not part of the MAC
        TestPki.Signer encipherOnly = TestPki.signer("RSA", "modality", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(1)), KeyUsage.keyEncipherment);
        ds.getSequence(Tag.DigitalSignaturesSequence).get(0).setBytes(Tag.CertificateOfSigner, VR.OB,
                encipherOnly.cert().getEncoded());
        VerificationResult r = verify(roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), null);
        assertEquals(SignatureStatus.INVALID, r.status());
        assertTrue(r.reason().contains("may not sign"), r.reason());
    }

    @Test
    void itemPathSyntax() {
        assertEquals("(0008,1115)[0].(0008,1140)[2]",
                ItemPath.parse("ReferencedSeriesSequence[0].ReferencedImageSequence[2]").toString());
        assertEquals("(0040,A730)[1]", ItemPath.parse("(0040,A730)[1]").toString());
        assertEquals("(0040,A730)[1]", ItemPath.parse("0040A730[1]").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ItemPath.parse("ContentSequence"));
        assertTrue(e.getMessage().contains("SEQUENCE[index]"));
        assertThrows(IllegalArgumentException.class, () -> ItemPath.parse("NoSuchKeyword[0]"));
        assertThrows(IllegalArgumentException.class, () -> ItemPath.parse("ContentSequence[-1]"));
    }
}
