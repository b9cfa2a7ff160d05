package org.cameldicomsecure.component.dicomweb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import org.cameldicomsecure.web.server.DicomWebListener;
import org.cameldicomsecure.web.server.InstanceOutcome;
import org.cameldicomsecure.web.server.QidoQuery;
import org.cameldicomsecure.web.server.StowInstance;
import org.cameldicomsecure.web.server.WadoQuery;
import org.cameldicomsecure.web.server.WebRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what the origin server refused or failed (the method, the path without its query — a QIDO-RS query may hold
 * patient names — the client's address, the status and the reason; never a token), and hands every event on to the
 * audit trail's listener when there is one.
 */
final class LoggingListener implements DicomWebListener {

    private static final Logger LOG = LoggerFactory.getLogger(DicomWebConsumer.class);

    private final DicomWebListener next;

    LoggingListener(DicomWebListener next) {
        this.next = next != null ? next : new DicomWebListener() {
        };
    }

    private static String who(WebRequest r) {
        return host(r.remoteAddress());
    }

    private static String host(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return String.valueOf(a);
    }

    private static String path(WebRequest r) {
        String p = r.path() == null ? "" : r.path();
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
    }

    @Override
    public void authenticated(WebRequest request) {
        next.authenticated(request);
    }

    @Override
    public void refused(WebRequest request, int httpStatus, String reason) {
        LOG.info("dicomweb refused {} {} from {}: {} {}", request.method(), path(request), who(request), httpStatus,
                reason);
        next.refused(request, httpStatus, reason);
    }

    @Override
    public void instancesReceived(WebRequest request, List<StowInstance> instances) {
        next.instancesReceived(request, instances);
    }

    @Override
    public void stowCompleted(WebRequest request, List<StowInstance> instances, List<InstanceOutcome> outcomes,
            int httpStatus) {
        long failed = outcomes.stream().filter(o -> !o.isStored()).count();
        if (failed > 0) {
            LOG.warn("dicomweb STOW-RS from {}: {} of {} instances not stored (HTTP {})", who(request), failed,
                    outcomes.size(), httpStatus);
        }
        next.stowCompleted(request, instances, outcomes, httpStatus);
    }

    @Override
    public void retrieved(WebRequest request, WadoQuery query, int instances, boolean complete) {
        if (!complete) {
            LOG.warn("dicomweb WADO-RS to {} broke off after {} instances", who(request), instances);
        }
        next.retrieved(request, query, instances, complete);
    }

    @Override
    public void queried(WebRequest request, QidoQuery query, int results) {
        next.queried(request, query, results);
    }

    @Override
    public void failed(WebRequest request, int httpStatus, String reason) {
        LOG.warn("dicomweb {} {} from {} failed: {} {}", request.method(), path(request), who(request), httpStatus,
                reason);
        next.failed(request, httpStatus, reason);
    }

    @Override
    public void tlsFailed(SocketAddress peer, String why) {
        LOG.info("dicomweb: TLS with {} failed: {}", host(peer), why);
        next.tlsFailed(peer, why);
    }
}
