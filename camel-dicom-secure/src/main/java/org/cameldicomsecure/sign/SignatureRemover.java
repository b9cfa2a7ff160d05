package org.cameldicomsecure.sign;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;

/**
 * Removes digital signatures: one, by Digital Signature UID, wherever it is, or all of them at every level. A MAC
 * Parameters Sequence item goes with the last signature that used its MAC ID Number; emptied sequences are removed.
 * Nothing else changes, so the remaining signatures stay valid.
 */
public final class SignatureRemover {

    private SignatureRemover() {
    }

    /** Removes every Digital Signatures and MAC Parameters Sequence of the instance; returns how many signatures went. */
    public static int removeAll(Dataset root) {
        int removed = 0;
        Sequence sigs = root.getSequence(Tag.DigitalSignaturesSequence);
        if (sigs != null) {
            removed += sigs.size();
            root.remove(Tag.DigitalSignaturesSequence);
        }
        root.remove(Tag.MACParametersSequence);
        for (int i = 0; i < root.size(); i++) {
            if (root.valueAt(i) instanceof Sequence s) {
                for (Dataset item : s) {
                    removed += removeAll(item);
                }
            }
        }
        return removed;
    }

    /**
     * Removes the signature whose Digital Signature UID is {@code uid}.
     *
     * @throws SignatureException if the instance has no such signature
     */
    public static void remove(Dataset root, String uid) throws SignatureException {
        if (!removeFrom(root, uid.trim())) {
            throw new SignatureException("the instance has no digital signature with UID " + uid.trim());
        }
    }

    private static boolean removeFrom(Dataset ds, String uid) {
        Sequence sigs = ds.getSequence(Tag.DigitalSignaturesSequence);
        if (sigs != null) {
            for (int k = 0; k < sigs.size(); k++) {
                String u = sigs.get(k).getString(Tag.DigitalSignatureUID);
                if (u != null && uid.equals(u.trim())) {
                    int macId = DicomSigner.macIdOf(sigs.get(k));
                    sigs.remove(k);
                    dropUnusedMacParameters(ds, sigs, macId);
                    if (sigs.isEmpty()) {
                        ds.remove(Tag.DigitalSignaturesSequence);
                    }
                    return true;
                }
            }
        }
        for (int i = 0; i < ds.size(); i++) {
            if (ds.tagAt(i) != Tag.DigitalSignaturesSequence && ds.valueAt(i) instanceof Sequence s) {
                for (Dataset item : s) {
                    if (removeFrom(item, uid)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void dropUnusedMacParameters(Dataset ds, Sequence sigs, int macId) {
        for (Dataset other : sigs) {
            if (DicomSigner.macIdOf(other) == macId) {
                return;
            }
        }
        Sequence macs = ds.getSequence(Tag.MACParametersSequence);
        if (macs == null) {
            return;
        }
        for (int k = macs.size() - 1; k >= 0; k--) {
            if (DicomSigner.macIdOf(macs.get(k)) == macId) {
                macs.remove(k);
            }
        }
        if (macs.isEmpty()) {
            ds.remove(Tag.MACParametersSequence);
        }
    }
}
