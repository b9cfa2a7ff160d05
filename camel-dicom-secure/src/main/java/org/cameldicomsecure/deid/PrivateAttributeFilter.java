package org.cameldicomsecure.deid;

import java.util.HashSet;
import java.util.Set;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.PrivateCreators;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;

/**
 * Private attributes, the last row of Table E.1-1 ((gggg,eeee) with gggg odd: X, or C under the Retain Safe Private
 * Option, E.3.10). Without the Option every private element of a data set is removed, Private Creators included. With
 * it, a private element is kept when its block's creator is known and
 * <ul>
 * <li>Table E.3.10-1 lists (creator, group, element offset) as safe, or</li>
 * <li>the Private Data Element Characteristics Sequence (0008,0300) of this data set or an enclosing one describes the
 * block with Block Identifying Information Status (0008,0303) SAFE, or lists the offset in Nonidentifying Private
 * Elements (0008,0304);</li>
 * </ul>
 * and the Private Creator of every block that keeps an element is kept. Everything else private is removed: elements
 * without a creator, group lengths, (gggg,0001-000F).
 */
final class PrivateAttributeFilter {

    private final SafePrivateTable safe;
    private final boolean retain;

    PrivateAttributeFilter(SafePrivateTable safe, boolean retainSafePrivate) {
        this.safe = safe;
        this.retain = retainSafePrivate;
    }

    /**
     * Removes the private elements of {@code ds} that are not kept, and returns the tags of the kept private
     * sequences, whose items the caller still has to de-identify.
     */
    Set<Integer> apply(Dataset ds) {
        Set<Integer> keptSequences = new HashSet<>();
        Set<Integer> keptBlocks = new HashSet<>();
        for (int tag : ds.tags()) {
            if (!Tag.isPrivate(tag) || Tag.isPrivateCreator(tag)) {
                continue;
            }
            if (retain && isSafe(ds, tag)) {
                keptBlocks.add((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF));
                if (ds.getSequence(tag) != null) {
                    keptSequences.add(tag);
                }
            } else {
                ds.remove(tag);
            }
        }
        for (int tag : ds.tags()) {
            if (Tag.isPrivateCreator(tag) && !keptBlocks.contains(tag)) {
                ds.remove(tag);
            }
        }
        return keptSequences;
    }

    private boolean isSafe(Dataset ds, int tag) {
        String creator = PrivateCreators.creatorOf(ds, tag);
        if (creator == null) {
            return false;
        }
        int group = Tag.group(tag);
        int offset = tag & 0xFF;
        if ((tag & 0xFFFF) < 0x1000) {
            return false; // (gggg,0000-0FFF) are not in any block
        }
        return safe.isSafe(creator, group, offset) || declaredSafe(ds, group, creator.trim(), offset);
    }

    /** Private Data Element Characteristics Sequence of {@code ds} or an enclosing data set (PS3.3 C.12.1.1.7). */
    private static boolean declaredSafe(Dataset ds, int group, String creator, int offset) {
        for (Dataset d = ds; d != null; d = d.parent()) {
            Sequence s = d.getSequence(Tag.PrivateDataElementCharacteristicsSequence);
            if (s == null) {
                continue;
            }
            for (Dataset item : s) {
                if (item.getInt(Tag.PrivateGroupReference, -1) != group
                        || !creator.equals(item.getString(Tag.PrivateCreatorReference))) {
                    continue;
                }
                String status = item.getString(Tag.BlockIdentifyingInformationStatus);
                if ("SAFE".equals(status)) {
                    return true;
                }
                if ("MIXED".equals(status)) {
                    for (String v : item.getStrings(Tag.NonidentifyingPrivateElements)) {
                        if ((Integer.parseInt(v) & 0xFF) == offset) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
