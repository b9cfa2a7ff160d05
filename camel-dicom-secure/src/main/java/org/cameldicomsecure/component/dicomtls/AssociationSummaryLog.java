package org.cameldicomsecure.component.dicomtls;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.pdu.AAssociateRJ;

/**
 * One line per association for operators ({@code associationSummary=true}): the AE titles, the peer, the TLS
 * protocol and cipher suite, the user (if any), how many instances and bytes went over it and how many failed, how
 * long it lasted and how it ended (released, aborted and why); and one line per association refused or TLS
 * handshake failed. Only AE titles, addresses, counts and protocol facts: never patient data.
 *
 * <pre>
 * association STORESCU -&gt; GATEWAY from 127.0.0.1:40112 over TLSv1.3 TLS_AES_256_GCM_SHA384: 3 instances (0 failed), 1.6 MiB in 212 ms, released
 * </pre>
 */
public final class AssociationSummaryLog implements AssociationListener {

    private static final class Counts {
        final long start = System.nanoTime();
        int instances;
        int failed;
        long bytes;
    }

    private final Consumer<String> out;
    private final Map<AssociationInfo, Counts> open = Collections.synchronizedMap(new IdentityHashMap<>());

    /** @param out receives each line (e.g. an INFO logger) */
    public AssociationSummaryLog(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void accepted(AssociationInfo association) {
        open.put(association, new Counts());
    }

    @Override
    public void instanceTransferred(AssociationInfo association, String sopClassUid, String sopInstanceUid,
            long bytes, int status) {
        Counts c = open.computeIfAbsent(association, a -> new Counts());
        synchronized (c) {
            c.instances++;
            c.bytes += Math.max(0, bytes);
            // PS3.7 C.4.2.1.4: 0000 success, B000/B007/B006 warnings; anything else is a failure
            if (status != 0 && (status & 0xF000) != 0xB000) {
                c.failed++;
            }
        }
    }

    @Override
    public void released(AssociationInfo association) {
        end(association, "released");
    }

    @Override
    public void aborted(AssociationInfo association, SocketAddress peer, String why) {
        if (association == null) {
            out.accept("association from " + address(peer) + " aborted before it was established: " + why);
            return;
        }
        end(association, "aborted: " + why);
    }

    @Override
    public void rejected(SocketAddress peer, String callingAet, String calledAet, AAssociateRJ rj, String why) {
        out.accept("association " + callingAet + " -> " + calledAet + " from " + address(peer) + " rejected: " + why);
    }

    @Override
    public void tlsFailed(SocketAddress peer, String why) {
        out.accept("TLS handshake from " + address(peer) + " failed: " + why);
    }

    private void end(AssociationInfo a, String outcome) {
        Counts c = open.remove(a);
        StringBuilder b = new StringBuilder("association ").append(a.callingAet()).append(a.requestor() ? " => "
                : " -> ").append(a.calledAet()).append(a.requestor() ? " at " : " from ").append(address(a.remote()));
        if (a.tls() != null) {
            b.append(" over ").append(a.tls().protocol()).append(' ').append(a.tls().cipherSuite());
        } else {
            b.append(" over plain TCP");
        }
        if (a.username() != null) {
            b.append(", user ").append(a.username());
        }
        if (c == null) {
            b.append(": ").append(outcome);
        } else {
            long ms = (System.nanoTime() - c.start) / 1_000_000;
            synchronized (c) {
                b.append(": ").append(c.instances).append(c.instances == 1 ? " instance (" : " instances (")
                        .append(c.failed).append(" failed), ").append(size(c.bytes)).append(" in ").append(ms)
                        .append(" ms, ").append(outcome);
            }
        }
        out.accept(b.toString());
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return (i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString()) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
