package org.cameldicomsecure.audit.trail;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Logs each alarm at once (ERROR; recoveries WARNING) and hands it to the handler on a dedicated thread, in order, so
 * that the handler may emit into the trail (a Security Alert through {@link AuditTrail#emitReserved}) without
 * deadlocking the thread that raised it.
 */
final class Alarms {

    private static final Logger LOG = System.getLogger(AuditTrail.class.getName());

    private final Consumer<AuditAlarm> handler;
    private final ArrayDeque<AuditAlarm> queue = new ArrayDeque<>();
    private final Thread thread;
    private boolean stopping;
    private boolean busy;

    Alarms(Consumer<AuditAlarm> handler, String directory) {
        this.handler = handler;
        this.thread = new Thread(this::run, "audit-alarms " + directory);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void raise(AuditAlarm.Kind kind, String message, String sink, long sequence, String recordId, long records,
            long spoolBytes, long maxSpoolBytes) {
        AuditAlarm alarm = new AuditAlarm(kind, Instant.now(), message, sink, sequence, recordId, records, spoolBytes,
                maxSpoolBytes);
        LOG.log(alarm.isRecovery() ? Level.WARNING : Level.ERROR, "audit alarm " + kind + ": " + message);
        synchronized (this) {
            queue.add(alarm);
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            AuditAlarm next;
            synchronized (this) {
                while (queue.isEmpty() && !stopping) {
                    busy = false;
                    notifyAll();
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    busy = false;
                    notifyAll();
                    return;
                }
                next = queue.poll();
                busy = true;
            }
            try {
                handler.accept(next);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "the audit alarm handler failed on " + next.kind() + ": " + e);
            }
        }
    }

    /** Waits (bounded) until every alarm raised so far is handled. */
    void awaitIdle(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (this) {
            while ((busy || !queue.isEmpty()) && thread.isAlive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Handles what is queued (bounded), then stops the thread. */
    void close(long millis) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
