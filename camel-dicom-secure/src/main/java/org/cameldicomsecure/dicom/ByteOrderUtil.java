package org.cameldicomsecure.dicom;

/** Reading and writing binary numbers in either byte order, and swapping whole values between byte orders. */
public final class ByteOrderUtil {

    private ByteOrderUtil() {
    }

    public static int uint16(byte[] b, int off, boolean bigEndian) {
        return bigEndian
                ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff)
                : (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
    }

    public static int int32(byte[] b, int off, boolean bigEndian) {
        return bigEndian
                ? ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff)
                : (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8) | ((b[off + 2] & 0xff) << 16) | ((b[off + 3] & 0xff) << 24);
    }

    public static long int64(byte[] b, int off, boolean bigEndian) {
        long hi = int32(b, bigEndian ? off : off + 4, bigEndian) & 0xffffffffL;
        long lo = int32(b, bigEndian ? off + 4 : off, bigEndian) & 0xffffffffL;
        return (hi << 32) | lo;
    }

    public static void putUint16(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            b[off] = (byte) (v >> 8);
            b[off + 1] = (byte) v;
        } else {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >> 8);
        }
    }

    public static void putInt32(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            b[off] = (byte) (v >> 24);
            b[off + 1] = (byte) (v >> 16);
            b[off + 2] = (byte) (v >> 8);
            b[off + 3] = (byte) v;
        } else {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >> 8);
            b[off + 2] = (byte) (v >> 16);
            b[off + 3] = (byte) (v >> 24);
        }
    }

    public static void putInt64(byte[] b, int off, long v, boolean bigEndian) {
        putInt32(b, bigEndian ? off : off + 4, (int) (v >>> 32), bigEndian);
        putInt32(b, bigEndian ? off + 4 : off, (int) v, bigEndian);
    }

    /** Reverses each {@code unit}-byte group of {@code b[off, off+len)} in place. {@code len} must be a multiple of unit. */
    public static void swap(byte[] b, int off, int len, int unit) {
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
