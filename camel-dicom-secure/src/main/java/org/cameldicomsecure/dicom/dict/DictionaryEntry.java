package org.cameldicomsecure.dicom.dict;

import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * One entry of the data dictionary: a tag, or a pattern of tags, with its keyword, name, VR(s), VM and retired flag
 * as PS3.6 (or PS3.7 Annex E for group 0000) gives them.
 *
 * <p>The entry covers every tag {@code t} with {@code (t & mask) == tag}. {@code mask} is {@code 0xFFFFFFFF} for a
 * single tag; a wildcard nibble {@code x} of PS3.6, as in (0028,04x0) or (1010,xxxx), has mask nibble 0. The
 * repeating groups (50xx,eeee) and (60xx,eeee) cover only the even groups 5000-501E and 6000-601E (PS3.5 §7.6), so
 * their group mask is {@code 0xFFE1}.
 *
 * @param tag      the tag, with every wildcard bit 0 (the value of the {@link Tag} constant)
 * @param mask     the bits of a tag that must equal {@code tag}
 * @param keyword  the PS3.6 keyword; empty for the few retired rows that have none
 * @param name     the PS3.6 name; empty when the standard gives none
 * @param vrs      the VR, or the alternatives in the order PS3.6 lists them ("US or SS"); empty when PS3.6 gives
 *                 none (the Item and delimitation items of group FFFE, and some retired rows)
 * @param vm       the Value Multiplicity as PS3.6 prints it ("1", "1-n", "1-n or 1"); empty when none is given
 * @param retired  whether the standard marks the element retired
 */
public record DictionaryEntry(int tag, int mask, String keyword, String name, List<VR> vrs, String vm,
        boolean retired) {

    public DictionaryEntry {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vm, "vm");
        vrs = List.copyOf(vrs);
        if ((tag & ~mask) != 0) {
            throw new IllegalArgumentException("tag " + Tag.toString(tag) + " has bits outside mask "
                    + Integer.toHexString(mask));
        }
    }

    /** The first VR of {@link #vrs()}, or {@link VR#UN} when the standard gives none. */
    public VR vr() {
        return vrs.isEmpty() ? VR.UN : vrs.get(0);
    }

    /** Whether this entry covers {@code t}. */
    public boolean matches(int t) {
        return (t & mask) == tag;
    }

    /** Whether this entry is a pattern (repeating group or other wildcard) rather than a single tag. */
    public boolean isPattern() {
        return mask != 0xFFFFFFFF;
    }

    /** The tag or pattern in the standard's notation: "(0010,0010)", "(60xx,3000)". */
    public String pattern() {
        char[] c = Tag.toString(tag).toCharArray();
        for (int i = 0; i < 8; i++) {
            int shift = 28 - 4 * i;
            if (((mask >>> shift) & 0xF) != 0xF) {
                c[i < 4 ? 1 + i : 2 + i] = 'x';
            }
        }
        return new String(c);
    }

    @Override
    public String toString() {
        return pattern() + " " + (vrs.isEmpty() ? "-" : vrs.toString()) + " " + vm + " " + keyword
                + (retired ? " (Retired)" : "");
    }
}
