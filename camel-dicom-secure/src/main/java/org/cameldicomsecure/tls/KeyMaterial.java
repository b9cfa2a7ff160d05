package org.cameldicomsecure.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Our own private keys and certificate chains, checked against the profile: each key matches its certificate, is
 * RSA or EC, and is at least as large as the profile demands.
 */
final class KeyMaterial {

    /** One key with its chain (end-entity certificate first). */
    record Entry(String alias, PrivateKey key, List<X509Certificate> chain) {

        X509Certificate certificate() {
            return chain.get(0);
        }

        /** "RSA" or "EC". */
        String keyAlgorithm() {
            return certificate().getPublicKey().getAlgorithm();
        }

        String describe() {
            X509Certificate c = certificate();
            return "subject '" + c.getSubjectX500Principal().getName() + "', serial " + c.getSerialNumber()
                    + ", " + keyAlgorithm() + " " + keyBits(c.getPublicKey()) + " bits, valid until "
                    + c.getNotAfter().toInstant();
        }
    }

    private final List<Entry> entries;

    private KeyMaterial(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The key algorithms ("RSA", "EC") present. */
    List<String> keyAlgorithms() {
        return entries.stream().map(Entry::keyAlgorithm).distinct().toList();
    }

    /** From a PEM certificate chain and a PEM private key. */
    static KeyMaterial fromPem(Path certificate, Path privateKey, String privateKeyPassword, TlsProfile profile) {
        List<X509Certificate> chain = PemFiles.readCertificates("certificate", certificate);
        PrivateKey key = PemFiles.readPrivateKey("privateKey", privateKey, "privateKeyPassword",
                privateKeyPassword == null ? null : privateKeyPassword.toCharArray());
        Entry e = new Entry("key", key, chain);
        check(e, "certificate '" + certificate + "' and privateKey '" + privateKey + "'", profile);
        return new KeyMaterial(List.of(e));
    }

    /** All key entries of a PKCS12 key store (the key password is the store password, as PKCS12 tools write it). */
    static KeyMaterial fromPkcs12(Path keyStore, String keyStorePassword, TlsProfile profile) {
        char[] pw = keyStorePassword == null ? null : keyStorePassword.toCharArray();
        KeyStore ks = loadPkcs12("keyStore", keyStore, "keyStorePassword", pw);
        List<Entry> list = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key k;
                try {
                    k = ks.getKey(alias, pw == null ? new char[0] : pw);
                } catch (UnrecoverableKeyException ex) {
                    throw new TlsConfigurationException("keyStore file '" + keyStore + "': the key '" + alias
                            + "' cannot be read with keyStorePassword", ex);
                }
                if (!(k instanceof PrivateKey pk)) {
                    continue;
                }
                Certificate[] certs = ks.getCertificateChain(alias);
                if (certs == null || certs.length == 0) {
                    throw new TlsConfigurationException("keyStore file '" + keyStore + "': the key '" + alias
                            + "' has no certificate chain");
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : certs) {
                    chain.add((X509Certificate) c);
                }
                Entry e = new Entry(alias, pk, chain);
                check(e, "keyStore '" + keyStore + "' entry '" + alias + "'", profile);
                list.add(e);
            }
        } catch (GeneralSecurityException ex) {
            throw new TlsConfigurationException("keyStore file '" + keyStore + "' cannot be read: " + ex.getMessage(),
                    ex);
        }
        if (list.isEmpty()) {
            throw new TlsConfigurationException("keyStore file '" + keyStore + "' contains no private key entry");
        }
        return new KeyMaterial(list);
    }

    /** Loads a PKCS12 file; a wrong password and a file that is no PKCS12 at all get their own messages. */
    static KeyStore loadPkcs12(String option, Path file, String passwordOption, char[] password) {
        PemFiles.requireReadable(option, file);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase().contains("password")) {
                throw new TlsConfigurationException(option + " file '" + file + "': wrong " + passwordOption
                        + " (the PKCS12 integrity check failed)", e);
            }
            throw new TlsConfigurationException(option + " file '" + file + "' is not a PKCS12 key store: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException(option + " file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Key managers of {@code provider} over these keys, each reading a key only once (see {@link CachingKeyManager}). */
    KeyManager[] keyManagers(JsseProvider provider) {
        try {
            char[] pw = new char[24];
            SecureRandom rnd = new SecureRandom();
            for (int i = 0; i < pw.length; i++) {
                pw[i] = (char) ('a' + rnd.nextInt(26));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (Entry e : entries) {
                ks.setKeyEntry(e.alias(), e.key(), pw, e.chain().toArray(new X509Certificate[0]));
            }
            KeyManagerFactory kmf = provider.newKeyManagerFactory();
            kmf.init(ks, pw);
            KeyManager[] managers = kmf.getKeyManagers();
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof X509ExtendedKeyManager x) {
                    managers[i] = new CachingKeyManager(x);
                }
            }
            return managers;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigurationException("cannot set up the key manager: " + e.getMessage(), e);
        }
    }

    private static void check(Entry e, String what, TlsProfile profile) {
        X509Certificate cert = e.certificate();
        PublicKey pub = cert.getPublicKey();
        String alg = pub.getAlgorithm();
        if (!alg.equals("RSA") && !alg.equals("EC")) {
            throw new TlsConfigurationException(what + ": " + alg + " keys are not supported (use RSA or EC)");
        }
        if (!e.key().getAlgorithm().equals(alg)) {
            throw new TlsConfigurationException(what + " do not match: the certificate has an " + alg
                    + " key, the private key is " + e.key().getAlgorithm());
        }
        if (!matches(e.key(), pub)) {
            throw new TlsConfigurationException(what + " do not match: the private key does not belong to the "
                    + "certificate's public key");
        }
        int bits = keyBits(pub);
        int min = profile.keySizes().minimumFor(alg);
        if (bits < min) {
            throw new TlsConfigurationException(what + ": the " + alg + " key has " + bits + " bits; tlsProfile "
                    + profile.describe() + " requires at least " + min);
        }
    }

    /** A test signature with the private key, verified with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        try {
            String alg = pub.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException ex) {
            return false;
        }
    }

    /** RSA modulus length or EC field size; -1 for other keys. */
    static int keyBits(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return -1;
    }

    /** Certificates of ours that are expired or not yet valid, for a warning. */
    List<String> validityProblems(Date now) {
        List<String> problems = new ArrayList<>();
        for (Entry e : entries) {
            X509Certificate c = e.certificate();
            if (now.after(c.getNotAfter())) {
                problems.add("certificate " + e.describe() + " expired on " + c.getNotAfter().toInstant());
            } else if (now.before(c.getNotBefore())) {
                problems.add("certificate " + e.describe() + " is not valid before " + c.getNotBefore().toInstant());
            }
        }
        return problems;
    }
}
