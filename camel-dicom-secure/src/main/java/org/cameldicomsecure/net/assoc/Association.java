package org.cameldicomsecure.net.assoc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.net.dimse.Commands;

/**
 * An established association, used to send DIMSE requests (requestor side) and to release it. Sending blocks the
 * calling thread while the peer is slow to read (never call from a Netty event loop); responses complete futures.
 * The asynchronous operations window is 1 (the default of PS3.7 §D.3.3.3): a request is sent only after the response
 * to the previous one has arrived, whatever the number of threads using the association.
 */
public final class Association implements AutoCloseable {

    private static final String VERIFICATION = "1.2.840.10008.1.1";

    private final AssociationHandler handler;
    private final Channel channel;
    private final AtomicInteger messageIds = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Dataset>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(1, true);
    final Object writability = new Object();

    Association(AssociationHandler handler) {
        this.handler = handler;
        this.channel = handler.context().channel();
    }

    public AssociationInfo info() {
        return handler.info();
    }

    /** Whether requests can still be sent. */
    public boolean isOpen() {
        return channel.isActive() && handler.isEstablished();
    }

    private int nextMessageId() {
        return (messageIds.incrementAndGet() & 0xFFFF) | 1;
    }

    private long timeout() {
        return handler.configTimeout();
    }

    /** Sends a C-ECHO-RQ; the future completes with the response command. */
    public CompletableFuture<Dataset> echo() throws IOException {
        AcceptedContext pc = info().contextFor(VERIFICATION, null);
        if (pc == null) {
            throw new DicomNetworkException(info().name() + ": the peer did not accept the Verification SOP Class");
        }
        int id = nextMessageId();
        return send(pc.id(), id, Commands.echoRq(id), null);
    }

    /** Writes a data set into the DIMSE data stream. */
    @FunctionalInterface
    public interface DataWriter {
        void writeTo(OutputStream out, TransferSyntax ts) throws IOException;
    }

    /**
     * Sends a C-STORE-RQ for {@code file}: on a context accepted for its SOP class in the file's own transfer syntax
     * (sent bit for bit), else in a native syntax the peer accepted (transcoded; not possible for an encapsulated
     * syntax). The future completes with the response command.
     */
    public CompletableFuture<Dataset> store(DicomFile file, int priority) throws IOException {
        Dataset ds = file.dataset();
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sopInstance = ds.getString(Tag.SOPInstanceUID);
        if (file.fileMeta() != null) {
            sopClass = first(file.fileMeta().getString(Tag.MediaStorageSOPClassUID), sopClass);
            sopInstance = first(file.fileMeta().getString(Tag.MediaStorageSOPInstanceUID), sopInstance);
        }
        if (sopClass == null || sopInstance == null) {
            throw new IllegalArgumentException("the instance has no SOP Class UID or SOP Instance UID");
        }
        AcceptedContext pc = info().contextFor(sopClass, file.transferSyntax().uid());
        if (pc == null && !file.transferSyntax().encapsulated()) {
            for (AcceptedContext c : info().contexts().values()) {
                if (c.abstractSyntax().equals(sopClass) && !c.transferSyntax().encapsulated()) {
                    pc = c;
                    break;
                }
            }
        }
        if (pc == null) {
            throw new DicomNetworkException(info().name() + ": no presentation context accepted for SOP class "
                    + sopClass + " in transfer syntax " + file.transferSyntax().uid());
        }
        int id = nextMessageId();
        DicomWriter writer = new DicomWriter();
        return send(pc.id(), id, Commands.storeRq(id, sopClass, sopInstance, priority),
                (out, ts) -> writer.writeDataset(ds, ts, out));
    }

    /** Sends a request command (and data set) and returns the future of its response. */
    public CompletableFuture<Dataset> send(int pcid, int messageId, Dataset command, DataWriter data)
            throws IOException {
        if (!isOpen()) {
            throw new DicomNetworkException(info().name() + ": association is no longer open");
        }
        AcceptedContext pc = info().context(pcid);
        try {
            if (!window.tryAcquire(timeout(), TimeUnit.MILLISECONDS)) {
                throw new DicomNetworkException(info().name() + ": previous request still unanswered after "
                        + timeout() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to send");
        }
        // the window also serialises senders: one message is on the wire at a time
        CompletableFuture<Dataset> rsp = new CompletableFuture<>();
        pending.put(messageId, rsp);
        int max = (int) Math.min(info().peerMaxPduLength() == 0 ? Integer.MAX_VALUE : info().peerMaxPduLength(),
                handler.maxSendPduLength());
        PDataOutputStream cmd = new PDataOutputStream(channel, pcid, true, max, writability, timeout());
        PDataOutputStream dat = null;
        try {
            cmd.write(Commands.encode(command));
            cmd.close();
            if (data != null) {
                dat = new PDataOutputStream(channel, pcid, false, max, writability, timeout());
                data.writeTo(dat, pc.transferSyntax());
                dat.close();
            }
        } catch (IOException | RuntimeException e) {
            cmd.discard();
            if (dat != null) {
                dat.discard();
            }
            pending.remove(messageId);
            window.release();
            // a half-sent message cannot be taken back: abort the association
            channel.eventLoop().execute(() -> handler.abort(
                    org.cameldicomsecure.net.pdu.AAbort.user(), "send failed: " + e.getMessage()));
            throw e;
        }
        return rsp.orTimeout(timeout(), TimeUnit.MILLISECONDS).whenComplete((r, t) -> {
            pending.remove(messageId);
            window.release();
        });
    }

    void onResponse(Dataset rsp) {
        CompletableFuture<Dataset> f = pending.remove(rsp.getInt(Tag.MessageIDBeingRespondedTo, -1));
        if (f != null) {
            f.complete(rsp);
        }
    }

    void failAll(Throwable t) {
        for (CompletableFuture<Dataset> f : pending.values()) {
            f.completeExceptionally(t);
        }
        pending.clear();
        released.completeExceptionally(t);
        synchronized (writability) {
            writability.notifyAll();
        }
    }

    void releaseDone() {
        released.complete(null);
    }

    /** Releases the association (A-RELEASE-RQ, then waits for the RP and the close). */
    public CompletableFuture<Void> release() {
        channel.eventLoop().execute(handler::requestRelease);
        return released;
    }

    /** Releases and waits up to the response timeout; aborts if the release does not complete. */
    @Override
    public void close() {
        try {
            release().get(timeout(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            channel.close();
        }
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
