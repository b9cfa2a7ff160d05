package org.cameldicomsecure.dicom;

import java.util.Objects;

/**
 * Private data elements by creator (PS3.5 §7.8.1): a Private Creator element (gggg,00xx), xx in 10-FF, reserves the
 * block (gggg,xx00)-(gggg,xxFF) for the private elements of that creator. Code that knows a private element as
 * "creator, group, low byte" finds its actual tag here instead of assuming a block number.
 */
public final class PrivateCreators {

    private PrivateCreators() {
    }

    /**
     * The tag of private element {@code elementOffset} (00-FF) of {@code creator} in odd {@code group}, or -1 if
     * {@code ds} has no block reserved for that creator.
     */
    public static int tagOf(Dataset ds, int group, String creator, int elementOffset) {
        int block = blockOf(ds, group, creator);
        return block < 0 ? -1 : tag(group, block, elementOffset);
    }

    /** Like {@link #tagOf}, but reserves the first free block for {@code creator} if it has none yet. */
    public static int reserve(Dataset ds, int group, String creator, int elementOffset) {
        int block = blockOf(ds, group, creator);
        if (block < 0) {
            for (int xx = 0x10; xx <= 0xFF; xx++) {
                if (!ds.contains((group << 16) | xx)) {
                    ds.setString((group << 16) | xx, VR.LO, creator);
                    block = xx;
                    break;
                }
            }
            if (block < 0) {
                throw new IllegalStateException("no free private block in group " + String.format("%04X", group));
            }
        }
        return tag(group, block, elementOffset);
    }

    /** The creator that reserved the block holding private element {@code tag}, or {@code null} if none did. */
    public static String creatorOf(Dataset ds, int tag) {
        if (!Tag.isPrivate(tag) || Tag.isPrivateCreator(tag)) {
            return null;
        }
        int xx = (tag >>> 8) & 0xFF;
        if (xx < 0x10) {
            return null;
        }
        return ds.getString((tag & 0xFFFF0000) | xx);
    }

    private static int blockOf(Dataset ds, int group, String creator) {
        Objects.requireNonNull(creator, "creator");
        if ((group & 1) == 0) {
            throw new IllegalArgumentException("private groups are odd, not " + String.format("%04X", group));
        }
        for (int xx = 0x10; xx <= 0xFF; xx++) {
            if (creator.equals(ds.getString((group << 16) | xx))) {
                return xx;
            }
        }
        return -1;
    }

    private static int tag(int group, int block, int elementOffset) {
        if (elementOffset < 0 || elementOffset > 0xFF) {
            throw new IllegalArgumentException("private element offset must be 00-FF: " + elementOffset);
        }
        return (group << 16) | (block << 8) | elementOffset;
    }
}
