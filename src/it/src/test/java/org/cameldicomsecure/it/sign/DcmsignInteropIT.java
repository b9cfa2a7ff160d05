package org.cameldicomsecure.it.sign;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.sign.DicomSigner;
import org.cameldicomsecure.sign.ItemPath;
import org.cameldicomsecure.sign.MacAlgorithm;
import org.cameldicomsecure.sign.SignatureCheck;
import org.cameldicomsecure.sign.SignatureException;
import org.cameldicomsecure.sign.SignatureInfo;
import org.cameldicomsecure.sign.SignatureProfile;
import org.cameldicomsecure.sign.SignaturePurpose;
import org.cameldicomsecure.sign.SignatureRequirement;
import org.cameldicomsecure.sign.SignatureStatus;
import org.cameldicomsecure.sign.SignatureVerifier;
import org.cameldicomsecure.sign.SignerCredentials;
import org.cameldicomsecure.sign.SigningOptions;
import org.cameldicomsecure.sign.VerificationOptions;
import org.cameldicomsecure.sign.VerificationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DICOM digital signatures (PS3.15 Annex C) both ways with DCMTK's {@code dcmsign} (Debian package dcmtk 3.6.7):
 * what {@link DicomSigner} signs — Base, Creator and Authorization RSA profiles with SHA-256/384/512, ECDSA without a
 * profile, a signature in a sequence item, and an SR verification signature — passes {@code dcmsign --verify} with the
 * test CA trusted ({@code +cf}), and with dcmsign's profile policy ({@code +rc}, {@code +ru}, {@code +rs}) where there
 * is one; what {@code dcmsign --sign} and {@code --sign-item} make ({@code +pb/+pc/+pa/+pr/+pv}, RIPEMD-160 and
 * {@code +m2/+m3/+m5}, RSA and ECDSA keys) passes {@link SignatureVerifier}, which names the profile. A changed byte in
 * a signed element makes both fail; a change outside the signed elements makes neither fail. dcmsign reads the PEM
 * files of {@link SigningPki} with its default {@code --pem-keys}.
 *
 * <p>dcmsign's exit codes (dcmsign/include/dcmtk/dcmsign/siexit.h): 0 all signatures OK, 85 signature creation
 * failed, 100 no signature although required, 101 a signature (or its certificate) failed, 102 no signature fulfils
 * the required profile policy.
 */
class DcmsignInteropIT {

    private static final DicomWriter WRITER = new DicomWriter();
    private static final DicomReader READER = new DicomReader();
    private static final DicomSigner SIGNER = new DicomSigner();

    /** dcmsign's verdict per signature (DCMTK logs it as a warning, with -v its labels are padded to one width). */
    private static final Pattern VERIFY_OK = Pattern.compile("Signature Verification\\s+: OK");
    private static final String CORRUPTED = "signature verification failed: signature is invalid (document corrupted)";
    private static final String POLICY_FAILED = "No signature in this dataset fulfills the required ";
    private static final Pattern SIGNED_TAG = Pattern.compile("^I:\\s+\\(([0-9a-f]{4}),([0-9a-f]{4})\\) ");

    private static final String ITEM = "ReferencedImageSequence[0]";
    private static final String ITEM_LOCATION = "(0008,1140)[0]";

    private static Peers peers;
    private static Path dcmsign;
    private static Path dcmodify;
    private static Path dir;
    private static SigningPki pki;
    private static SignerCredentials rsa;
    private static SignerCredentials ec;
    private static int counter;

    @BeforeAll
    static void pkiAndPeers() throws Exception {
        peers = Peers.forTest(DcmsignInteropIT.class);
        dcmsign = Peers.require("dcmsign", "dcmtk");
        dcmodify = Peers.require("dcmodify", "dcmtk");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        dir = Files.createTempDirectory(work, "dcmsign-");
        pki = SigningPki.create(dir.resolve("pki"));
        rsa = SignerCredentials.of(pki.rsa.key(), pki.rsa.cert());
        ec = SignerCredentials.of(pki.ec.key(), pki.ec.cert());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. ours -> dcmsign

    static Stream<Arguments> rsaProfilesAndMacs() {
        List<Arguments> l = new ArrayList<>();
        for (SignatureProfile p : List.of(SignatureProfile.BASE, SignatureProfile.CREATOR, SignatureProfile.AUTHORIZATION)) {
            for (MacAlgorithm m : List.of(MacAlgorithm.SHA256, MacAlgorithm.SHA384, MacAlgorithm.SHA512)) {
                l.add(Arguments.of(p, m));
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rsaProfilesAndMacs")
    void dcmsignVerifiesOurRsaSignature(SignatureProfile profile, MacAlgorithm mac) throws Exception {
        Dataset ds = ct();
        SignatureInfo info = SIGNER.sign(ds, rsa, options(profile, mac));
        Path file = write("ours-" + profile + "-" + mac, ds);

        Peers.Result r = dcmsignVerify("verify-ours-" + profile + "-" + mac, file);
        assertDcmsignVerifies(r, 1);
        String t = text(r);
        assertTrue(Pattern.compile("MAC algorithm\\s+: " + mac.term() + "\\n").matcher(t).find(), t);
        assertTrue(Pattern.compile("Location\\s+: Main Dataset").matcher(t).find(), t);
        assertTrue(Pattern.compile("Public key\\s+: RSA, 2048 bits").matcher(t).find(), t);
        // dcmsign read exactly the list of Data Elements Signed we wrote
        assertEquals(List.of(info.signedTags()), dcmsignSignedTags(t), t);

        // dcmsign's profile policies: BASE signs every signable element, so it also meets Creator and Authorization
        if (profile != SignatureProfile.AUTHORIZATION) {
            assertPolicyMet(dcmsignVerify("verify-ours-" + profile + "-" + mac + "-rc", file, "+rc"));
        }
        if (profile != SignatureProfile.CREATOR) {
            assertPolicyMet(dcmsignVerify("verify-ours-" + profile + "-" + mac + "-ru", file, "+ru"));
        }

        VerificationResult ours = verify(read(file), requirementOf(profile));
        assertValid(ours, 1);
        SignatureCheck c = ours.signatures().get(0);
        assertTrue(c.profiles().contains(SignatureProfile.BASE), c.profiles().toString());
        assertTrue(c.profiles().contains(profile), c.profiles().toString());
        assertEquals(mac.term(), c.info().macAlgorithm());
        assertEquals("RSA", c.info().keyAlgorithm());
        if (profile == SignatureProfile.CREATOR) {
            assertFalse(c.info().signedTags().contains(Tag.PatientName), "a Creator signature does not cover Patient Name");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MacAlgorithm.class, names = {"SHA256", "SHA384", "SHA512"})
    void dcmsignVerifiesOurEcdsaSignature(MacAlgorithm mac) throws Exception {
        Dataset ds = ct();
        SignatureInfo info = SIGNER.sign(ds, ec, options(SignatureProfile.NONE, mac));
        Path file = write("ours-ecdsa-" + mac, ds);

        Peers.Result r = dcmsignVerify("verify-ours-ecdsa-" + mac, file);
        assertDcmsignVerifies(r, 1);
        String t = text(r);
        assertTrue(Pattern.compile("Public key\\s+: EC, curve prime256v1, 256 bits").matcher(t).find(), t);
        assertTrue(Pattern.compile("MAC algorithm\\s+: " + mac.term() + "\\n").matcher(t).find(), t);
        assertEquals(List.of(info.signedTags()), dcmsignSignedTags(t), t);
        // Creator RSA is an RSA profile: an ECDSA signature cannot fulfil it, in dcmsign as in ours
        Peers.Result rc = dcmsignVerify("verify-ours-ecdsa-" + mac + "-rc", file, "+rc");
        assertEquals(102, rc.exitCode(), text(rc));
        assertTrue(text(rc).contains(POLICY_FAILED + "Creator RSA Signature signature policy"), text(rc));

        VerificationResult ours = verify(read(file), null);
        assertValid(ours, 1);
        assertEquals("EC", ours.signatures().get(0).info().keyAlgorithm());
        assertEquals(Set.of(), ours.signatures().get(0).profiles());
        VerificationResult creator = verify(read(file), SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, creator.status());
        assertTrue(creator.reason().contains("no valid CREATOR signature"), creator.reason());
    }

    @Test
    void dcmsignPolicyRejectsOurSignatureOfTooFewElements() throws Exception {
        Dataset ds = ct();
        SIGNER.sign(ds, rsa, SigningOptions.builder().profile(SignatureProfile.NONE)
                .tags(List.of(Tag.SOPClassUID, Tag.SOPInstanceUID)).build());
        Path file = write("ours-two-tags", ds);
        assertDcmsignVerifies(dcmsignVerify("verify-ours-two-tags", file), 1);
        Peers.Result rc = dcmsignVerify("verify-ours-two-tags-rc", file, "+rc");
        assertEquals(102, rc.exitCode(), text(rc));
        assertTrue(text(rc).contains(POLICY_FAILED + "Creator RSA Signature signature policy"), text(rc));
        Peers.Result ru = dcmsignVerify("verify-ours-two-tags-ru", file, "+ru");
        assertEquals(102, ru.exitCode(), text(ru));

        VerificationResult ours = verify(read(file), SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, ours.status());
        assertTrue(ours.reason().contains("no valid CREATOR signature"), ours.reason());
        assertEquals(Set.of(SignatureProfile.BASE), ours.signatures().get(0).profiles());
    }

    @Test
    void dcmsignVerifiesOurSignatureInSequenceItemAndAtTopLevel() throws Exception {
        Dataset ds = ct();
        SignatureInfo item = SIGNER.sign(ds, ItemPath.parse(ITEM), rsa, options(SignatureProfile.BASE, MacAlgorithm.SHA256));
        assertEquals(ITEM_LOCATION, item.location());
        // a signature in an item is no Creator signature, however little the item holds (PS3.15 C.2 signs the SOP
        // Class and Instance UIDs and the Study and Series Instance UIDs; DCMTK: mainDatasetRequired())
        VerificationResult itemOnly = verify(ds, SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, itemOnly.status(), "a BASE signature of two UIDs in an item is no CREATOR");
        assertEquals(Set.of(SignatureProfile.BASE), itemOnly.signatures().get(0).profiles());
        // and neither we nor dcmsign make a Creator signature in an item
        SignatureException refused = assertThrows(SignatureException.class, () -> SIGNER.sign(ds, ItemPath.parse(ITEM),
                rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA256)));
        assertTrue(refused.getMessage().contains("top level"), refused.getMessage());
        assertEquals(1, ds.getSequence(Tag.ReferencedImageSequence).get(0).getSequence(Tag.DigitalSignaturesSequence)
                .size(), "the refused signature left nothing behind");
        Path plain = write("plain-item-pc", ct());
        Path none = dir.resolve("dcmsign-si-pc.dcm");
        Peers.Result pc = peers.run("sign-item-pc", dir, cmd(dcmsign, "+si", pki.rsa.keyPem(), pki.rsa.certPem(), ITEM,
                "+pc", plain, none));
        assertEquals(1, pc.exitCode(), text(pc));
        assertTrue(text(pc).contains("--profile-creator only allowed with --sign"), text(pc));
        assertFalse(Files.exists(none));

        // the top-level signature covers Referenced Image Sequence, nested signature included
        SIGNER.sign(ds, rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA384));
        Path file = write("ours-item", ds);

        Peers.Result r = dcmsignVerify("verify-ours-item", file);
        assertDcmsignVerifies(r, 2);
        String t = text(r);
        assertTrue(Pattern.compile("Location\\s+: ReferencedImageSequence\\[0\\]").matcher(t).find(), t);
        assertTrue(Pattern.compile("Location\\s+: Main Dataset").matcher(t).find(), t);
        assertTrue(dcmsignSignedTags(t).contains(List.of(Tag.ReferencedSOPClassUID, Tag.ReferencedSOPInstanceUID)), t);
        assertPolicyMet(dcmsignVerify("verify-ours-item-rc", file, "+rc"));

        VerificationResult ours = verify(read(file), SignatureRequirement.CREATOR);
        assertValid(ours, 2);
        List<String> locations = ours.signatures().stream().map(c -> c.info().location()).sorted().toList();
        assertEquals(List.of("", ITEM_LOCATION), locations);

        // one changed byte in the signed item: both fail, and both name the item
        Path tampered = dir.resolve("ours-item-tampered.dcm");
        Files.copy(file, tampered);
        modify("modify-ours-item", tampered, "(0008,1140)[0].(0008,1155)=" + uid());
        Peers.Result bad = dcmsignVerify("verify-ours-item-tampered", tampered);
        assertEquals(101, bad.exitCode(), text(bad));
        assertTrue(text(bad).contains("2 signatures verified in dataset, 2 corrupted."), text(bad));
        VerificationResult broken = verify(read(tampered), null);
        assertEquals(SignatureStatus.INVALID, broken.status());
        assertTrue(broken.reason().contains("does not match"), broken.reason());
        assertTrue(broken.signatures().stream().noneMatch(SignatureCheck::valid));
    }

    @Test
    void dcmsignVerifiesOurSrVerificationSignature() throws Exception {
        Dataset ds = sr(true);
        SignatureInfo info = SIGNER.sign(ds, rsa, SigningOptions.builder().profile(SignatureProfile.SR)
                .macAlgorithm(MacAlgorithm.SHA256).purpose(SignaturePurpose.VERIFICATION).build());
        for (int tag : List.of(Tag.SOPInstanceUID, Tag.VerificationFlag, Tag.VerifyingObserverSequence, Tag.ContentSequence)) {
            assertTrue(info.signedTags().contains(tag), Tag.toString(tag) + " in " + info.signedTags());
        }
        Path file = write("ours-sr-verified", ds);

        Peers.Result r = dcmsignVerify("verify-ours-sr", file);
        assertDcmsignVerifies(r, 1);
        String t = text(r);
        assertTrue(Pattern.compile("Signature purpose\\s+: Verification Signature \\(5, ASTM-sigpurpose\\)")
                .matcher(t).find(), t);
        assertEquals(List.of(info.signedTags()), dcmsignSignedTags(t), t);
        // +rs on a VERIFIED report checks DCMTK's SR verification profile (SOP Instance UID, Verification Flag,
        // Verifying Observer Sequence too)
        assertPolicyMet(dcmsignVerify("verify-ours-sr-rs", file, "+rs"));

        VerificationResult ours = verify(read(file), SignatureRequirement.SR);
        assertValid(ours, 1);
        assertTrue(ours.signatures().get(0).profiles().contains(SignatureProfile.SR));
        assertEquals("5", ours.signatures().get(0).info().purpose());
    }

    @ParameterizedTest
    @MethodSource("otherTransferSyntaxes")
    void dcmsignVerifiesOurSignatureInOtherTransferSyntaxes(String name, TransferSyntax ts) throws Exception {
        Dataset ds = ct();
        SIGNER.sign(ds, rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA256));
        Path file = write("ours-" + name, ds, ts);
        assertDcmsignVerifies(dcmsignVerify("verify-ours-" + name, file, "+rc"), 1);
        DicomFile back = READER.read(file);
        assertEquals(ts, back.transferSyntax());
        assertValid(verify(back.dataset(), SignatureRequirement.CREATOR), 1);
    }

    static Stream<Arguments> otherTransferSyntaxes() {
        return Stream.of(Arguments.of("implicit-le", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN),
                Arguments.of("explicit-be", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN),
                Arguments.of("deflated", TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. dcmsign -> ours

    /** One dcmsign signing run: the signer, dcmsign's options, and what our verifier must report. */
    record DcmsignCase(String name, boolean ecdsa, List<String> options, MacAlgorithm mac, Set<SignatureProfile> profiles,
            SignatureRequirement requirement) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<DcmsignCase> dcmsignCases() {
        Set<SignatureProfile> base = Set.of(SignatureProfile.BASE);
        Set<SignatureProfile> creator = Set.of(SignatureProfile.BASE, SignatureProfile.CREATOR);
        Set<SignatureProfile> auth = Set.of(SignatureProfile.BASE, SignatureProfile.AUTHORIZATION);
        return Stream.of(
                new DcmsignCase("pb-ripemd160", false, List.of("+pb"), MacAlgorithm.RIPEMD160, base, SignatureRequirement.ANY),
                new DcmsignCase("pb-m2", false, List.of("+pb", "+m2"), MacAlgorithm.SHA256, base, SignatureRequirement.ANY),
                new DcmsignCase("pb-m3", false, List.of("+pb", "+m3"), MacAlgorithm.SHA384, base, SignatureRequirement.ANY),
                new DcmsignCase("pb-m5", false, List.of("+pb", "+m5"), MacAlgorithm.SHA512, base, SignatureRequirement.ANY),
                new DcmsignCase("pc-ripemd160", false, List.of("+pc"), MacAlgorithm.RIPEMD160, creator,
                        SignatureRequirement.CREATOR),
                new DcmsignCase("pc-m2", false, List.of("+pc", "+m2"), MacAlgorithm.SHA256, creator,
                        SignatureRequirement.CREATOR),
                new DcmsignCase("pc-m3", false, List.of("+pc", "+m3"), MacAlgorithm.SHA384, creator,
                        SignatureRequirement.CREATOR),
                new DcmsignCase("pc-m5", false, List.of("+pc", "+m5"), MacAlgorithm.SHA512, creator,
                        SignatureRequirement.CREATOR),
                new DcmsignCase("pa-ripemd160", false, List.of("+pa"), MacAlgorithm.RIPEMD160, auth,
                        SignatureRequirement.AUTHORIZATION),
                new DcmsignCase("pa-m2", false, List.of("+pa", "+m2"), MacAlgorithm.SHA256, auth,
                        SignatureRequirement.AUTHORIZATION),
                new DcmsignCase("pa-m5", false, List.of("+pa", "+m5"), MacAlgorithm.SHA512, auth,
                        SignatureRequirement.AUTHORIZATION),
                new DcmsignCase("rsa-noprofile-m3", false, List.of("+m3"), MacAlgorithm.SHA384, base, SignatureRequirement.ANY),
                new DcmsignCase("ecdsa-ripemd160", true, List.of(), MacAlgorithm.RIPEMD160, Set.of(), SignatureRequirement.ANY),
                new DcmsignCase("ecdsa-m2", true, List.of("+m2"), MacAlgorithm.SHA256, Set.of(), SignatureRequirement.ANY),
                new DcmsignCase("ecdsa-m3", true, List.of("+m3"), MacAlgorithm.SHA384, Set.of(), SignatureRequirement.ANY),
                new DcmsignCase("ecdsa-m5", true, List.of("+m5"), MacAlgorithm.SHA512, Set.of(), SignatureRequirement.ANY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dcmsignCases")
    void weVerifyDcmsignSignature(DcmsignCase c) throws Exception {
        Path in = write("plain-" + c.name, ct());
        Path out = dcmsignSign("sign-" + c.name, c.ecdsa ? pki.ec : pki.rsa, c.options, in);

        VerificationResult ours = verify(read(out), c.requirement);
        assertValid(ours, 1);
        SignatureCheck check = ours.signatures().get(0);
        assertEquals(c.mac.term(), check.info().macAlgorithm());
        assertEquals(c.ecdsa ? "EC" : "RSA", check.info().keyAlgorithm());
        assertEquals("", check.info().location());
        assertEquals(0, check.info().macIdNumber(), "dcmsign numbers its first MAC 0");
        assertTrue(check.profiles().containsAll(c.profiles), check.profiles() + " should contain " + c.profiles);
        if (c.ecdsa) {
            assertEquals(Set.of(), check.profiles());
        }
        // and dcmsign agrees with itself on the same file
        assertDcmsignVerifies(dcmsignVerify("verify-" + c.name, out), 1);
    }

    @Test
    void dcmsignAndWeRefuseEcdsaUnderBaseProfile() throws Exception {
        Path in = write("plain-ecdsa-pb", ct());
        Path out = dir.resolve("dcmsign-ecdsa-pb.dcm");
        Peers.Result r = peers.run("sign-ecdsa-pb", dir, cmd(dcmsign, "--sign", pki.ec.keyPem(), pki.ec.certPem(), "+pb",
                in, out));
        assertEquals(85, r.exitCode(), text(r));
        assertTrue(text(r).contains("signature algorithm not allowed for the selected security profile"), text(r));
        assertFalse(Files.exists(out), "dcmsign wrote no output");

        Dataset ds = ct();
        int before = ds.size();
        SignatureException e = assertThrows(SignatureException.class,
                () -> SIGNER.sign(ds, ec, options(SignatureProfile.BASE, MacAlgorithm.SHA256)));
        assertTrue(e.getMessage().contains("RSA profile"), e.getMessage());
        assertEquals(before, ds.size(), "the data set is unchanged");
        assertFalse(ds.contains(Tag.DigitalSignaturesSequence));
    }

    @Test
    void weVerifyDcmsignSignatureInSequenceItemAndAtTopLevel() throws Exception {
        Path in = write("plain-si", ct());
        Path item = dir.resolve("dcmsign-si.dcm");
        peers.run("sign-item", dir, cmd(dcmsign, "+si", pki.rsa.keyPem(), pki.rsa.certPem(), ITEM, "+pb", "+m2", in, item))
                .assertSuccess();
        VerificationResult one = verify(read(item), SignatureRequirement.ANY);
        assertValid(one, 1);
        assertEquals(ITEM_LOCATION, one.signatures().get(0).info().location());
        assertEquals(List.of(Tag.ReferencedSOPClassUID, Tag.ReferencedSOPInstanceUID),
                one.signatures().get(0).info().signedTags());
        // a Creator signature is made at the top level only (PS3.15 C.2): requiring one fails
        VerificationResult noCreator = verify(read(item), SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, noCreator.status());

        Path both = dcmsignSign("sign-top-after-item", pki.rsa, List.of("+pc", "+m3"), item);
        VerificationResult two = verify(read(both), SignatureRequirement.CREATOR);
        assertValid(two, 2);
        assertEquals(List.of("", ITEM_LOCATION), two.signatures().stream().map(c -> c.info().location()).sorted().toList());
        assertDcmsignVerifies(dcmsignVerify("verify-si", both, "+rc"), 2);

        // dcmsign numbers MAC IDs per level, 0 in the item and 0 at the top level, although PS3.3 Table C.12-6 wants
        // them unique within the SOP Instance; we find each MAC Parameters item at the level of its signature
        assertEquals(List.of(0, 0), two.signatures().stream().map(c -> c.info().macIdNumber()).toList());

        // we add a third signature to dcmsign's two; all three pass both verifiers
        Dataset ds = read(both);
        SignatureInfo third = SIGNER.sign(ds, rsa, options(SignatureProfile.AUTHORIZATION, MacAlgorithm.SHA512));
        assertEquals(1, third.macIdNumber(), "a MAC ID Number not used yet in the instance");
        Path three = write("dcmsign-si-plus-ours", ds);
        assertDcmsignVerifies(dcmsignVerify("verify-three", three, "+ru"), 3);
        assertValid(verify(read(three), SignatureRequirement.AUTHORIZATION), 3);
    }

    @Test
    void weVerifyDcmsignSrSignatures() throws Exception {
        // an UNVERIFIED report signed with purpose 1 (Author's Signature)
        Path draft = write("plain-sr-draft", sr(false));
        Path authored = dcmsignSign("sign-sr-pr", pki.rsa, List.of("+pr", "+m2", "+sp", "1"), draft);
        VerificationResult a = verify(read(authored), SignatureRequirement.SR);
        assertValid(a, 1);
        assertTrue(a.signatures().get(0).profiles().contains(SignatureProfile.SR), a.signatures().get(0).profiles().toString());
        assertEquals("1", a.signatures().get(0).info().purpose());

        // a VERIFIED report signed with dcmsign's SR verification profile (purpose 5 forced)
        Path verified = write("plain-sr-verified", sr(true));
        Path signed = dcmsignSign("sign-sr-pv", pki.rsa, List.of("+pv", "+m5"), verified);
        VerificationResult v = verify(read(signed), SignatureRequirement.SR);
        assertValid(v, 1);
        SignatureCheck c = v.signatures().get(0);
        assertTrue(c.profiles().contains(SignatureProfile.SR), c.profiles().toString());
        assertEquals("5", c.info().purpose());
        for (int tag : List.of(Tag.SOPInstanceUID, Tag.VerificationFlag, Tag.VerifyingObserverSequence)) {
            assertTrue(c.info().signedTags().contains(tag), Tag.toString(tag));
        }
        assertPolicyMet(dcmsignVerify("verify-sr-pv-rs", signed, "+rs"));

        // +pr without a purpose: PS3.15 C.4 says every SR signature carries one, so it is a valid signature but not
        // an SR profile signature for us; dcmsign's +rs does not check the purpose
        Path noPurpose = dcmsignSign("sign-sr-pr-nopurpose", pki.rsa, List.of("+pr", "+m2"), draft);
        VerificationResult n = verify(read(noPurpose), SignatureRequirement.SR);
        assertEquals(SignatureStatus.INVALID, n.status());
        assertTrue(n.signatures().get(0).valid());
        assertNull(n.signatures().get(0).info().purpose());
        assertFalse(n.signatures().get(0).profiles().contains(SignatureProfile.SR));
        assertTrue(n.reason().contains("no valid SR signature"), n.reason());
        assertPolicyMet(dcmsignVerify("verify-sr-nopurpose-rs", noPurpose, "+rs"));
    }

    @ParameterizedTest
    @MethodSource("otherTransferSyntaxOptions")
    void weVerifyDcmsignSignatureInOtherTransferSyntaxes(String name, String option, TransferSyntax ts) throws Exception {
        Path in = write("plain-" + name, ct());
        Path out = dcmsignSign("sign-" + name, pki.rsa, List.of("+pc", "+m2", option), in);
        DicomFile f = READER.read(out);
        assertEquals(ts, f.transferSyntax());
        assertValid(verify(f.dataset(), SignatureRequirement.CREATOR), 1);
    }

    static Stream<Arguments> otherTransferSyntaxOptions() {
        return Stream.of(Arguments.of("ts-implicit", "+ti", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN),
                Arguments.of("ts-big", "+tb", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. tampering

    @Test
    void changedPixelByteFailsBothOnOurSignature() throws Exception {
        Dataset ds = ct();
        SIGNER.sign(ds, rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA256));
        Path file = write("ours-pixel", ds);
        assertDcmsignVerifies(dcmsignVerify("verify-ours-pixel-before", file), 1);
        assertBothFailAfterPixelPatch("ours-pixel", file);
    }

    @Test
    void changedPixelByteFailsBothOnDcmsignSignature() throws Exception {
        Path signed = dcmsignSign("sign-pixel", pki.rsa, List.of("+pc", "+m2"), write("plain-pixel", ct()));
        assertValid(verify(read(signed), null), 1);
        assertBothFailAfterPixelPatch("dcmsign-pixel", signed);
    }

    private void assertBothFailAfterPixelPatch(String name, Path signed) throws Exception {
        byte[] b = Files.readAllBytes(signed);
        int at = pixelValueOffset(b) + 1000;
        b[at] ^= 0x01;
        Path tampered = dir.resolve(name + "-tampered.dcm");
        Files.write(tampered, b);

        Peers.Result r = dcmsignVerify("verify-" + name + "-tampered", tampered);
        assertEquals(101, r.exitCode(), text(r));
        assertTrue(text(r).contains(CORRUPTED), text(r));
        assertTrue(text(r).contains("1 signatures verified in dataset, 1 corrupted."), text(r));

        VerificationResult ours = verify(read(tampered), null);
        assertEquals(SignatureStatus.INVALID, ours.status());
        assertFalse(ours.signatures().get(0).valid());
        assertTrue(ours.reason().contains("the signature does not match"), ours.reason());
    }

    @Test
    void changeOutsideOurCreatorSignatureFailsNeither() throws Exception {
        Dataset ds = ct();
        SignatureInfo info = SIGNER.sign(ds, rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA256));
        assertFalse(info.signedTags().contains(Tag.PatientName));
        Path file = write("ours-outside", ds);
        modify("modify-ours-outside", file, "(0010,0010)=Other^Name");
        Dataset back = read(file);
        assertEquals("Other^Name", back.getString(Tag.PatientName).trim());

        assertDcmsignVerifies(dcmsignVerify("verify-ours-outside", file, "+rc"), 1);
        assertValid(verify(back, SignatureRequirement.CREATOR), 1);
    }

    @Test
    void changeOutsideDcmsignCreatorSignatureFailsNeither() throws Exception {
        // +pc with a tag list signs the listed tags and those DCMTK's Creator profile requires, nothing else; Modality
        // and Series Number are listed because PS3.15 2024c C.2 requires them and DCMTK 3.6.7 does not (see below)
        Path signed = dcmsignSign("sign-outside", pki.rsa, List.of("+pc", "+m2", "-t", "Modality", "-t", "SeriesNumber"),
                write("plain-outside", ct()));
        modify("modify-dcmsign-outside", signed, "(0010,0010)=Other^Name");
        Dataset back = read(signed);
        assertEquals("Other^Name", back.getString(Tag.PatientName).trim());
        VerificationResult ours = verify(back, SignatureRequirement.CREATOR);
        assertValid(ours, 1);
        assertFalse(ours.signatures().get(0).info().signedTags().contains(Tag.PatientName));
        assertDcmsignVerifies(dcmsignVerify("verify-dcmsign-outside", signed, "+rc"), 1);
    }

    /**
     * DCMTK 3.6.7's Creator list (dcmsign/libsrc/sicreapr.cc) lacks Modality (0008,0060) and Series Number (0020,0011),
     * attributes of the Encapsulated Document Series Module, which PS3.15 2024c C.2 lists ("the requirement is upon
     * Attributes"): dcmsign's minimal Creator signature is valid for us but no CREATOR signature, while dcmsign's own
     * +rc accepts it.
     */
    @Test
    void dcmsignMinimalCreatorSignatureLacksAttributesThe2024cProfileRequires() throws Exception {
        Path signed = dcmsignSign("sign-minimal-creator", pki.rsa, List.of("+pc", "+m2", "-t", "SOPInstanceUID"),
                write("plain-minimal-creator", ct()));
        assertPolicyMet(dcmsignVerify("verify-minimal-creator-rc", signed, "+rc"));
        Dataset ds = read(signed);
        VerificationResult any = verify(ds, SignatureRequirement.ANY);
        assertValid(any, 1);
        List<Integer> tags = any.signatures().get(0).info().signedTags();
        assertFalse(tags.contains(Tag.Modality), tags.toString());
        assertFalse(tags.contains(Tag.SeriesNumber), tags.toString());
        assertFalse(any.signatures().get(0).profiles().contains(SignatureProfile.CREATOR));
        VerificationResult creator = verify(ds, SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.INVALID, creator.status());
        assertTrue(creator.reason().contains("no valid CREATOR signature"), creator.reason());
    }

    @Test
    void changeOfPatientNameSignedByDcmsignDefaultCreatorFailsBoth() throws Exception {
        // without a tag list, dcmsign +pc signs every signable element, Patient Name included
        Path signed = dcmsignSign("sign-pn", pki.rsa, List.of("+pc", "+m2"), write("plain-pn", ct()));
        assertTrue(verify(read(signed), null).signatures().get(0).info().signedTags().contains(Tag.PatientName));
        modify("modify-dcmsign-pn", signed, "(0010,0010)=Other^Name");
        Peers.Result r = dcmsignVerify("verify-dcmsign-pn", signed);
        assertEquals(101, r.exitCode(), text(r));
        assertTrue(text(r).contains(CORRUPTED), text(r));
        VerificationResult ours = verify(read(signed), null);
        assertEquals(SignatureStatus.INVALID, ours.status());
        assertTrue(ours.reason().contains("the signature does not match"), ours.reason());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. bad input

    @Test
    void unsignedFileIsAbsentForBoth() throws Exception {
        Path file = write("unsigned", ct());
        VerificationResult plain = verify(read(file), null);
        assertEquals(SignatureStatus.ABSENT, plain.status());
        assertEquals(List.of(), plain.signatures());
        assertNull(plain.reason());
        VerificationResult required = verify(read(file), SignatureRequirement.CREATOR);
        assertEquals(SignatureStatus.ABSENT, required.status());
        assertTrue(required.reason().contains("no digital signature"), required.reason());

        Peers.Result r = dcmsignVerify("verify-unsigned", file);
        assertEquals(0, r.exitCode(), text(r));
        assertTrue(text(r).contains("no signatures found in dataset."), text(r));
        Peers.Result rg = dcmsignVerify("verify-unsigned-rg", file, "+rg");
        assertEquals(100, rg.exitCode(), text(rg));
        assertTrue(text(rg).contains("no signatures found although required by the signature verification policy"),
                text(rg));
    }

    @Test
    void missingMacParametersSequenceIsInvalidForBoth() throws Exception {
        Path signed = dcmsignSign("sign-nomac", pki.rsa, List.of("+pc", "+m2"), write("plain-nomac", ct()));
        assertValid(verify(read(signed), null), 1);
        peers.run("remove-mac-parameters", dir, cmd(dcmodify, "-nb", "-e", "(4ffe,0001)", signed)).assertSuccess();
        Dataset ds = read(signed);
        assertFalse(ds.contains(Tag.MACParametersSequence));
        assertTrue(ds.contains(Tag.DigitalSignaturesSequence));

        VerificationResult ours = verify(ds, null);
        assertEquals(SignatureStatus.INVALID, ours.status());
        assertTrue(ours.reason().contains("no MAC Parameters Sequence (4FFE,0001) item with MAC ID Number 0"),
                ours.reason());

        Peers.Result r = dcmsignVerify("verify-nomac", signed);
        assertEquals(101, r.exitCode(), text(r));
        assertTrue(text(r).contains("signature verification failed: MAC parameters not be found or incomplete"), text(r));
        assertFalse(VERIFY_OK.matcher(text(r)).find(), text(r));
    }

    @Test
    void untrustedCaFailsBoth() throws Exception {
        Dataset ds = ct();
        SIGNER.sign(ds, rsa, options(SignatureProfile.CREATOR, MacAlgorithm.SHA256));
        Path file = write("ours-untrusted", ds);
        Peers.Result r = peers.run("verify-untrusted", dir, cmd(dcmsign, "-v", "--verify", "+cf", pki.otherCa.certPem(),
                file));
        assertEquals(101, r.exitCode(), text(r));
        assertTrue(text(r).contains("signature is OK but certificate verification failed"), text(r));

        VerificationResult ours = verify(read(file), null, pki.otherCa.cert());
        assertEquals(SignatureStatus.INVALID, ours.status());
        assertTrue(ours.reason().contains("is not trusted"), ours.reason());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private static SigningOptions options(SignatureProfile profile, MacAlgorithm mac) {
        return SigningOptions.builder().profile(profile).macAlgorithm(mac).build();
    }

    private static SignatureRequirement requirementOf(SignatureProfile p) {
        return switch (p) {
            case CREATOR -> SignatureRequirement.CREATOR;
            case AUTHORIZATION -> SignatureRequirement.AUTHORIZATION;
            case SR -> SignatureRequirement.SR;
            default -> SignatureRequirement.ANY;
        };
    }

    private static VerificationResult verify(Dataset ds, SignatureRequirement requirement) {
        return verify(ds, requirement, pki.ca.cert());
    }

    private static VerificationResult verify(Dataset ds, SignatureRequirement requirement, X509Certificate trusted) {
        return new SignatureVerifier(VerificationOptions.builder().trustedCertificates(List.of(trusted))
                .requirement(requirement).build()).verify(ds);
    }

    private static void assertValid(VerificationResult r, int signatures) {
        assertEquals(SignatureStatus.VALID, r.status(), r.reason());
        assertNull(r.reason());
        assertEquals(signatures, r.signatures().size());
        for (SignatureCheck c : r.signatures()) {
            assertTrue(c.valid(), c.reason());
            assertNull(c.reason());
        }
    }

    private static Peers.Result dcmsignVerify(String name, Path file, String... policy) throws Exception {
        return peers.run(name, dir, cmd(dcmsign, "-v", "--verify", "+cf", pki.ca.certPem(), List.of(policy), file));
    }

    private static Path dcmsignSign(String name, SigningPki.Issued signer, List<String> options, Path in)
            throws Exception {
        Path out = dir.resolve("dcmsign-" + name + "-" + (++counter) + ".dcm");
        Peers.Result r = peers.run(name, dir, cmd(dcmsign, "--sign", signer.keyPem(), signer.certPem(), options, in, out))
                .assertSuccess();
        assertTrue(Files.size(out) > Files.size(in), text(r));
        return out;
    }

    private static void modify(String name, Path file, String assignment) throws Exception {
        peers.run(name, dir, cmd(dcmodify, "-nb", "-m", assignment, file)).assertSuccess();
    }

    private static String text(Peers.Result r) {
        return r.out() + "\n" + r.err();
    }

    /** Exit 0, one "OK" per signature, and DCMTK's summary. */
    private static void assertDcmsignVerifies(Peers.Result r, int signatures) {
        String t = text(r);
        assertEquals(0, r.exitCode(), t);
        Matcher m = VERIFY_OK.matcher(t);
        int ok = 0;
        while (m.find()) {
            ok++;
        }
        assertEquals(signatures, ok, t);
        assertTrue(t.contains(signatures + " signatures verified in dataset, 0 corrupted."), t);
        assertFalse(t.contains(POLICY_FAILED), t);
    }

    private static void assertPolicyMet(Peers.Result r) {
        assertEquals(0, r.exitCode(), text(r));
        assertFalse(text(r).contains(POLICY_FAILED), text(r));
    }

    /** The Data Elements Signed dcmsign -v lists, one list per signature. */
    private static List<List<Integer>> dcmsignSignedTags(String text) {
        List<List<Integer>> all = new ArrayList<>();
        List<Integer> current = null;
        for (String line : text.split("\n")) {
            if (line.contains("Data elements signed")) {
                current = new ArrayList<>();
                all.add(current);
                continue;
            }
            Matcher m = SIGNED_TAG.matcher(line);
            if (current != null && m.find()) {
                current.add(Integer.parseInt(m.group(1), 16) << 16 | Integer.parseInt(m.group(2), 16));
            } else {
                current = null;
            }
        }
        return all;
    }

    /** Offset of the Pixel Data value in an Explicit VR Little Endian file (after the OW header). */
    private static int pixelValueOffset(byte[] b) {
        byte[] header = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0};
        for (int i = b.length - header.length; i >= 0; i--) {
            boolean match = true;
            for (int k = 0; k < header.length && match; k++) {
                match = b[i + k] == header[k];
            }
            if (match) {
                return i + 12;
            }
        }
        throw new AssertionError("no Pixel Data (7FE0,0010) OW element in the file");
    }

    private static Path write(String name, Dataset ds) throws IOException {
        return write(name, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static Path write(String name, Dataset ds, TransferSyntax ts) throws IOException {
        Path file = dir.resolve(name + "-" + (++counter) + ".dcm");
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID).trim());
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID).trim());
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        WRITER.write(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts), file);
        return file;
    }

    private static Dataset read(Path file) throws IOException {
        return READER.read(file).dataset();
    }

    /**
     * A CT image: SOP Common, Patient, General Study/Series/Equipment, Frame of Reference, General Image with a
     * Referenced Image Sequence item, Image Plane, CT Image and Image Pixel (64 x 64, 16 bits allocated, 8 KiB).
     */
    static Dataset ct() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.InstanceCreationDate, VR.DA, "20240105");
        ds.setString(Tag.InstanceCreationTime, VR.TM, "101500");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid());
        ds.setString(Tag.StudyDate, VR.DA, "20240105");
        ds.setString(Tag.ContentDate, VR.DA, "20240105");
        ds.setString(Tag.StudyTime, VR.TM, "100000");
        ds.setString(Tag.ContentTime, VR.TM, "101455");
        ds.setString(Tag.AccessionNumber, VR.SH, "A0001");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "camel-dicom-secure IT");
        ds.setString(Tag.InstitutionName, VR.LO, "Test Hospital");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "");
        ds.setString(Tag.StationName, VR.SH, "CT01");
        ds.setString(Tag.ManufacturerModelName, VR.LO, "Scanner 1");
        Dataset ref = ds.newSequence(Tag.ReferencedImageSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid());
        ds.setString(Tag.PatientName, VR.PN, "Test^Patient");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.SliceThickness, VR.DS, "1.25");
        ds.setString(Tag.KVP, VR.DS, "120");
        ds.setString(Tag.DeviceSerialNumber, VR.LO, "SN-42");
        ds.setString(Tag.SoftwareVersions, VR.LO, "1.0");
        ds.setString(Tag.StudyInstanceUID, VR.UI, uid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, uid());
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "2");
        ds.setString(Tag.InstanceNumber, VR.IS, "3");
        ds.setString(Tag.ImagePositionPatient, VR.DS, "-100", "-100", "0");
        ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, uid());
        ds.setString(Tag.PositionReferenceIndicator, VR.LO, "");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        byte[] pixels = new byte[64 * 64 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            int v = (i * 7) & 0x0FFF;
            pixels[i] = (byte) v;
            pixels[i + 1] = (byte) (v >> 8);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    /**
     * A Comprehensive SR document (TID 2000 root, "Diagnostic Imaging Report" (18748-4, LN)) with one TEXT finding;
     * VERIFIED with one Verifying Observer, or UNVERIFIED.
     */
    static Dataset sr(boolean verified) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.InstanceCreationDate, VR.DA, "20240105");
        ds.setString(Tag.InstanceCreationTime, VR.TM, "120000");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid());
        ds.setString(Tag.StudyDate, VR.DA, "20240105");
        ds.setString(Tag.ContentDate, VR.DA, "20240105");
        ds.setString(Tag.StudyTime, VR.TM, "100000");
        ds.setString(Tag.ContentTime, VR.TM, "120000");
        ds.setString(Tag.AccessionNumber, VR.SH, "A0001");
        ds.setString(Tag.Modality, VR.CS, "SR");
        ds.setString(Tag.Manufacturer, VR.LO, "camel-dicom-secure IT");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "");
        ds.newSequence(Tag.ReferencedPerformedProcedureStepSequence);
        ds.setString(Tag.PatientName, VR.PN, "Test^Patient");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, uid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, uid());
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "10");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(ds.newSequence(Tag.ConceptNameCodeSequence).addItem(), "18748-4", "LN", "Diagnostic Imaging Report");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Dataset template = ds.newSequence(Tag.ContentTemplateSequence).addItem();
        template.setString(Tag.MappingResource, VR.CS, "DCMR");
        template.setString(Tag.TemplateIdentifier, VR.CS, "2000");
        ds.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        ds.setString(Tag.VerificationFlag, VR.CS, verified ? "VERIFIED" : "UNVERIFIED");
        if (verified) {
            Dataset observer = ds.newSequence(Tag.VerifyingObserverSequence).addItem();
            observer.setString(Tag.VerifyingOrganization, VR.LO, "Test Hospital");
            observer.setString(Tag.VerificationDateTime, VR.DT, "20240105121500");
            observer.setString(Tag.VerifyingObserverName, VR.PN, "Reader^Rita");
            observer.newSequence(Tag.VerifyingObserverIdentificationCodeSequence);
        }
        ds.newSequence(Tag.PerformedProcedureCodeSequence);
        Dataset finding = ds.newSequence(Tag.ContentSequence).addItem();
        finding.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        finding.setString(Tag.ValueType, VR.CS, "TEXT");
        code(finding.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121071", "DCM", "Finding");
        finding.setString(Tag.TextValue, VR.UT, "No acute abnormality.");
        return ds;
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    /** A random UUID-derived UID (PS3.5 §B.2). */
    private static String uid() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, b);
    }
}
