package org.cameldicomsecure.net.assoc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.net.pdu.PDataTF;

/**
 * Cuts a command or data set into PDVs of at most the peer's maximum length, one PDV per P-DATA-TF, and writes them
 * to the channel. Used from a caller thread (never the event loop): it waits while the channel is not writable, so a
 * large data set never piles up in memory.
 */
final class PDataOutputStream extends OutputStream implements FileRegion.RegionOutput {

    private final Channel channel;
    private final int pcid;
    private final boolean command;
    private final int fragmentSize;
    private final Object writability;
    private final long timeoutMillis;
    private ByteBuf pdu;
    private boolean closed;
    /** Bytes written to the channel since the last flush: flushed every {@link #FLUSH_BYTES} and at the end. */
    private long unflushed;
    private static final int FLUSH_BYTES = 128 * 1024;

    /**
     * @param maxPduLength the peer's Maximum Length (the P-DATA-TF variable field: PDV item header of 6 bytes
     *                     plus the fragment)
     */
    PDataOutputStream(Channel channel, int pcid, boolean command, int maxPduLength, Object writability,
            long timeoutMillis) {
        this.channel = channel;
        this.pcid = pcid;
        this.command = command;
        // fragments are even (PS3.8 Annex E)
        this.fragmentSize = (maxPduLength - 6) & ~1;
        this.writability = writability;
        this.timeoutMillis = timeoutMillis;
    }

    private void allocate() {
        pdu = channel.alloc().directBuffer(fragmentSize + 6);
        pdu.writeZero(6);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pdu == null) {
                allocate();
            } else if (pdu.readableBytes() - 6 == fragmentSize) {
                send(false);
                allocate();
            }
            int n = Math.min(len, fragmentSize - (pdu.readableBytes() - 6));
            pdu.writeBytes(b, off, n);
            off += n;
            len -= n;
        }
    }

    /**
     * Fills the PDU buffers (direct memory) from the file: one copy from the page cache, no heap array in between,
     * for bulk data the reader left in its file.
     */
    @Override
    public void writeRegion(FileChannel file, long position, long length) throws IOException {
        long pos = position;
        long end = position + length;
        while (pos < end) {
            if (pdu == null) {
                allocate();
            } else if (pdu.readableBytes() - 6 == fragmentSize) {
                send(false);
                allocate();
            }
            int n = (int) Math.min(end - pos, fragmentSize - (pdu.readableBytes() - 6));
            int read = pdu.writeBytes(file, pos, n);
            if (read <= 0) {
                throw new IOException("file ended " + (end - pos) + " bytes before the end of a bulk data value");
            }
            pos += read;
        }
    }

    private void send(boolean last) throws IOException {
        int fragment = pdu.readableBytes() - 6;
        pdu.setInt(0, fragment + 2);
        pdu.setByte(4, pcid);
        pdu.setByte(5, (command ? PDataTF.COMMAND : 0) | (last ? PDataTF.LAST : 0));
        ByteBuf out = pdu;
        pdu = null;
        awaitWritable();
        if (!channel.isActive()) {
            out.release();
            throw new DicomNetworkException("connection closed while sending");
        }
        unflushed += out.readableBytes() + 6;
        if (last || unflushed >= FLUSH_BYTES) {
            // fewer, larger TLS records and event-loop hand-offs than one flush per PDU
            channel.writeAndFlush(new PDataTF(out));
            unflushed = 0;
        } else {
            channel.write(new PDataTF(out));
        }
    }

    private void awaitWritable() throws IOException {
        if (channel.isWritable()) {
            return;
        }
        // what is written but not flushed counts against writability: flush it, or nothing ever drains
        channel.flush();
        unflushed = 0;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (writability) {
            while (!channel.isWritable() && channel.isActive()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new DicomNetworkException("peer stopped reading: channel not writable for "
                            + timeoutMillis + " ms");
                }
                try {
                    writability.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while sending");
                }
            }
        }
    }

    /** Sends the last fragment (possibly empty only if nothing was written at all). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (pdu == null) {
            allocate();
        }
        send(true);
    }

    /** Releases a half-filled buffer after a failure. */
    void discard() {
        closed = true;
        if (pdu != null) {
            pdu.release();
            pdu = null;
        }
    }
}
