package org.cameldicomsecure.net.assoc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.net.codec.InvalidPdu;
import org.cameldicomsecure.net.codec.PduDecoder;
import org.cameldicomsecure.net.dimse.CommandField;
import org.cameldicomsecure.net.dimse.Commands;
import org.cameldicomsecure.net.dimse.DataSetBuffer;
import org.cameldicomsecure.net.dimse.ReceivedInstance;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.net.dimse.StoreResult;
import org.cameldicomsecure.net.dimse.StoreService;
import org.cameldicomsecure.net.pdu.AAbort;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.AReleaseRP;
import org.cameldicomsecure.net.pdu.AReleaseRQ;
import org.cameldicomsecure.net.pdu.MalformedPduException;
import org.cameldicomsecure.net.pdu.PDataTF;
import org.cameldicomsecure.net.pdu.PresentationContextAC;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association on one channel: the PS3.8 §9.2 state machine with its ARTIM timer, negotiation, release and abort,
 * and the reassembly of DIMSE messages from PDVs (PS3.8 Annex E). All state is touched only on the channel's event
 * loop.
 *
 * <p>As acceptor it answers C-ECHO itself and hands each complete C-STORE to a {@link StoreService}; the response is
 * sent when the service completes. As requestor it sends the A-ASSOCIATE-RQ once the connection (and TLS) is up and
 * completes {@link #established()}; {@link Association} sends requests through it.
 */
public final class AssociationHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationHandler.class);

    private final boolean requestor;
    private final AssociationConfig config;
    private final AcceptorPolicy policy;
    private final StoreService storeService;
    private final AAssociateRQ request;
    private final boolean tls;
    private final CompletableFuture<Association> established = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private ChannelHandlerContext ctx;
    private AssociationState state = AssociationState.STA1;
    private ScheduledFuture<?> timer;
    private AssociationInfo info;
    private AssociationInfo.TlsInfo tlsInfo;
    private String name;
    private Association association;

    // DIMSE reassembly
    private int messagePcid = -1;
    private ByteArrayOutputStream commandBytes;
    private Dataset command;
    private DataSetBuffer data;
    private int pendingOperations;
    private boolean releaseRequested;

    private AssociationHandler(boolean requestor, AssociationConfig config, AcceptorPolicy policy,
            StoreService storeService, AAssociateRQ request, boolean tls) {
        this.requestor = requestor;
        this.config = config;
        this.policy = policy;
        this.storeService = storeService;
        this.request = request;
        this.tls = tls;
    }

    public static AssociationHandler acceptor(AssociationConfig config, AcceptorPolicy policy, StoreService store,
            boolean tls) {
        return new AssociationHandler(false, config, policy, store, null, tls);
    }

    public static AssociationHandler requestor(AssociationConfig config, AAssociateRQ rq, boolean tls) {
        return new AssociationHandler(true, config, null, null, rq, tls);
    }

    /** Completes when the association is established; fails if it is rejected, aborted or times out. */
    public CompletableFuture<Association> established() {
        return established;
    }

    /** Completes when the channel has closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    AssociationState state() {
        return state;
    }

    AssociationInfo info() {
        return info;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ connection events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        name = ctx.channel().remoteAddress().toString();
        if (requestor) {
            state = AssociationState.STA4;
            if (!tls) {
                sendAssociateRQ();
            }
        } else {
            state = AssociationState.STA2;
            startTimer(config.artimTimeoutMillis(), "no A-ASSOCIATE-RQ within the ARTIM timeout");
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (!hs.isSuccess()) {
                String why = "TLS handshake failed: " + rootMessage(hs.cause());
                LOG.info("{}: {}", name, why);
                config.listener().tlsFailed(ctx.channel().remoteAddress(), why);
                established.completeExceptionally(new DicomNetworkException(why, hs.cause()));
                ctx.close();
                return;
            }
            tlsInfo = tlsInfo(ctx);
            if (requestor && state == AssociationState.STA4) {
                sendAssociateRQ();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void sendAssociateRQ() {
        state = AssociationState.STA5;
        startTimer(config.responseTimeoutMillis(), "no A-ASSOCIATE-AC/RJ within the response timeout");
        ctx.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (state != AssociationState.STA1 && state != AssociationState.STA13) {
            String why = "connection closed in state " + state.name();
            config.listener().aborted(info, ctx.channel().remoteAddress(), why);
            if (association != null) {
                association.failAll(new DicomNetworkException(name + ": " + why));
            }
        }
        established.completeExceptionally(new DicomNetworkException(name + ": connection closed before the "
                + "association was established"));
        state = AssociationState.STA1;
        discardMessage();
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == AssociationState.STA4 || state == AssociationState.STA2) {
            // TLS failures before any PDU: reported through the handshake event
            LOG.debug("{}: {}", name, rootMessage(cause));
        } else {
            LOG.warn("{}: {} in state {}", name, rootMessage(cause), state.name());
        }
        abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED), rootMessage(cause));
    }

    // ------------------------------------------------------------------ PDUs

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof InvalidPdu bad) {
                LOG.info("{}: invalid PDU: {}", name, bad.message());
                config.listener().protocolError(info, ctx.channel().remoteAddress(), "invalid PDU: " + bad.message());
                abort(AAbort.provider(bad.abortReason()), "invalid PDU: " + bad.message());
            } else if (msg instanceof PDataTF p) {
                onPData(p);
            } else if (msg instanceof AAssociateRQ rq) {
                onAssociateRQ(rq);
            } else if (msg instanceof AAssociateAC ac) {
                onAssociateAC(ac);
            } else if (msg instanceof AAssociateRJ rj) {
                onAssociateRJ(rj);
            } else if (msg instanceof AReleaseRQ) {
                onReleaseRQ();
            } else if (msg instanceof AReleaseRP) {
                onReleaseRP();
            } else if (msg instanceof AAbort ab) {
                onAbort(ab);
            } else {
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void unexpected(String pdu) {
        LOG.info("{}: unexpected {} in state {}", name, pdu, state.name());
        config.listener().protocolError(info, ctx.channel().remoteAddress(),
                "unexpected " + pdu + " in state " + state.name());
        abort(AAbort.provider(AAbort.UNEXPECTED_PDU), "unexpected " + pdu + " in state " + state.name());
    }

    private void onAssociateRQ(AAssociateRQ rq) {
        if (requestor || state != AssociationState.STA2) {
            unexpected("A-ASSOCIATE-RQ");
            return;
        }
        cancelTimer();
        state = AssociationState.STA3;
        name = rq.callingAet() + "->" + rq.calledAet() + "(" + ctx.channel().remoteAddress() + ")";
        PeerInfo peer = new PeerInfo((InetSocketAddress) ctx.channel().remoteAddress(), tlsInfo);
        config.blockingExecutor().execute(() -> {
            Negotiation n;
            try {
                n = policy.negotiate(rq, peer);
            } catch (RuntimeException e) {
                LOG.warn("{}: association negotiation failed: {}", name, e.toString());
                n = new Negotiation.Reject(new AAssociateRJ(AAssociateRJ.REJECTED_TRANSIENT,
                        AAssociateRJ.SOURCE_SERVICE_PROVIDER_PRESENTATION,
                        AAssociateRJ.PRESENTATION_LOCAL_LIMIT_EXCEEDED), "negotiation error", false);
            }
            Negotiation result = n;
            ctx.executor().execute(() -> answerAssociateRQ(rq, result));
        });
    }

    private void answerAssociateRQ(AAssociateRQ rq, Negotiation n) {
        if (state != AssociationState.STA3) {
            return; // aborted or closed meanwhile
        }
        if (n instanceof Negotiation.Reject r) {
            LOG.info("{}: rejected: {}", name, r.why());
            if (r.authenticationFailure()) {
                config.listener().authenticationFailed(ctx.channel().remoteAddress(), rq.callingAet(), r.why());
            }
            config.listener().rejected(ctx.channel().remoteAddress(), rq.callingAet(), rq.calledAet(), r.rj(), r.why());
            state = AssociationState.STA13;
            ctx.writeAndFlush(r.rj()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Negotiation.Accept a = (Negotiation.Accept) n;
        AAssociateAC ac = a.ac();
        Map<Integer, AcceptedContext> contexts = new HashMap<>();
        for (PresentationContextAC pc : ac.presentationContexts()) {
            PresentationContextRQ proposed = rq.presentationContext(pc.id());
            if (pc.accepted() && proposed != null) {
                contexts.put(pc.id(), new AcceptedContext(pc.id(), proposed.abstractSyntax(),
                        TransferSyntax.of(pc.transferSyntax())));
            }
        }
        info = new AssociationInfo(name, false, rq.callingAet(), rq.calledAet(),
                (InetSocketAddress) ctx.channel().remoteAddress(), contexts, rq.userInformation().maxPduLength(),
                rq.userInformation().implementationClassUid(), rq.userInformation().implementationVersionName(),
                a.username(), tlsInfo, null);
        ctx.pipeline().get(PduDecoder.class).setMaxPDataLength(ac.userInformation().maxPduLength());
        state = AssociationState.STA6;
        association = new Association(this);
        ctx.writeAndFlush(ac).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        LOG.debug("{}: accepted, {} presentation context(s)", name, contexts.size());
        config.listener().accepted(info);
        established.complete(association);
    }

    private void onAssociateAC(AAssociateAC ac) {
        if (!requestor || state != AssociationState.STA5) {
            unexpected("A-ASSOCIATE-AC");
            return;
        }
        cancelTimer();
        Map<Integer, AcceptedContext> contexts = new HashMap<>();
        for (PresentationContextAC pc : ac.presentationContexts()) {
            PresentationContextRQ proposed = request.presentationContext(pc.id());
            if (pc.accepted() && proposed != null) {
                contexts.put(pc.id(), new AcceptedContext(pc.id(), proposed.abstractSyntax(),
                        TransferSyntax.of(pc.transferSyntax())));
            }
        }
        name = request.callingAet() + "->" + request.calledAet() + "(" + ctx.channel().remoteAddress() + ")";
        info = new AssociationInfo(name, true, request.callingAet(), request.calledAet(),
                (InetSocketAddress) ctx.channel().remoteAddress(), contexts, ac.userInformation().maxPduLength(),
                ac.userInformation().implementationClassUid(), ac.userInformation().implementationVersionName(),
                null, tlsInfo, ac.userInformation().userIdentityAC() == null ? null
                        : ac.userInformation().userIdentityAC().serverResponse());
        state = AssociationState.STA6;
        association = new Association(this);
        config.listener().accepted(info);
        established.complete(association);
    }

    private void onAssociateRJ(AAssociateRJ rj) {
        if (!requestor || state != AssociationState.STA5) {
            unexpected("A-ASSOCIATE-RJ");
            return;
        }
        cancelTimer();
        state = AssociationState.STA1;
        config.listener().rejected(ctx.channel().remoteAddress(), request.callingAet(), request.calledAet(), rj,
                "rejected by the peer");
        established.completeExceptionally(new AssociationRejectedException(rj));
        ctx.close();
    }

    private void onReleaseRQ() {
        if (state != AssociationState.STA6) {
            if (state == AssociationState.STA7) {
                // release collision (PS3.8 §9.2.3 AR-8): answer, then finish our own release on its RP
                ctx.writeAndFlush(AReleaseRP.INSTANCE);
                return;
            }
            unexpected("A-RELEASE-RQ");
            return;
        }
        state = AssociationState.STA8;
        if (pendingOperations > 0) {
            releaseRequested = true; // answer when the last response has gone out
            return;
        }
        sendReleaseRP();
    }

    private void sendReleaseRP() {
        state = AssociationState.STA13;
        config.listener().released(info);
        ctx.writeAndFlush(AReleaseRP.INSTANCE);
        startTimer(config.artimTimeoutMillis(), "peer did not close after A-RELEASE-RP");
    }

    private void onReleaseRP() {
        if (state != AssociationState.STA7) {
            unexpected("A-RELEASE-RP");
            return;
        }
        cancelTimer();
        state = AssociationState.STA1;
        config.listener().released(info);
        association.releaseDone();
        ctx.close();
    }

    private void onAbort(AAbort ab) {
        LOG.info("{}: A-ABORT received (source {}, reason {})", name, ab.source(), ab.reason());
        AssociationState was = state;
        state = AssociationState.STA1;
        cancelTimer();
        String why = "A-ABORT received (source " + ab.source() + ", reason " + ab.reason() + ")";
        config.listener().aborted(info, ctx.channel().remoteAddress(), why);
        if (association != null) {
            association.failAll(new DicomNetworkException(name + ": " + why));
        }
        if (was == AssociationState.STA5) {
            established.completeExceptionally(new DicomNetworkException(name + ": " + why));
        }
        discardMessage();
        ctx.close();
    }

    /** Sends an A-ABORT, reports it, and closes. */
    void abort(AAbort abort, String why) {
        if (state == AssociationState.STA1 || state == AssociationState.STA13) {
            ctx.close();
            return;
        }
        AssociationState was = state;
        state = AssociationState.STA13;
        cancelTimer();
        config.listener().aborted(info, ctx.channel().remoteAddress(), why);
        if (association != null) {
            association.failAll(new DicomNetworkException(name + ": aborted: " + why));
        }
        established.completeExceptionally(new DicomNetworkException(name + ": aborted: " + why));
        discardMessage();
        if (was == AssociationState.STA4 || !ctx.channel().isActive()) {
            ctx.close();
        } else {
            ctx.writeAndFlush(abort).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ------------------------------------------------------------------ DIMSE

    private void onPData(PDataTF p) {
        if (state != AssociationState.STA6 && state != AssociationState.STA7 && state != AssociationState.STA8) {
            unexpected("P-DATA-TF");
            return;
        }
        try {
            p.forEachPdv(this::onPdv);
        } catch (MalformedPduException e) {
            config.listener().protocolError(info, ctx.channel().remoteAddress(), e.getMessage());
            abort(AAbort.provider(e.abortReason()), e.getMessage());
        } catch (IOException e) {
            LOG.warn("{}: cannot store received data: {}", name, e.toString());
            abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED), "local I/O error: " + e.getMessage());
        } catch (Exception e) {
            config.listener().protocolError(info, ctx.channel().remoteAddress(), rootMessage(e));
            abort(AAbort.provider(AAbort.INVALID_PDU_PARAMETER_VALUE), rootMessage(e));
        }
    }

    private void onPdv(int pcid, int mch, ByteBuf fragment) throws Exception {
        if (state != AssociationState.STA6 && state != AssociationState.STA7 && state != AssociationState.STA8) {
            return; // aborted while visiting
        }
        if (info.context(pcid) == null) {
            throw new MalformedPduException(AAbort.UNEXPECTED_PDU_PARAMETER,
                    "PDV on presentation context " + pcid + ", which was not accepted");
        }
        if (messagePcid >= 0 && pcid != messagePcid) {
            throw new MalformedPduException(AAbort.UNEXPECTED_PDU_PARAMETER, "PDV on presentation context " + pcid
                    + " inside a message on context " + messagePcid);
        }
        messagePcid = pcid;
        boolean isCommand = (mch & PDataTF.COMMAND) != 0;
        boolean last = (mch & PDataTF.LAST) != 0;
        if (isCommand) {
            if (command != null) {
                throw new MalformedPduException(AAbort.UNEXPECTED_PDU_PARAMETER,
                        "command fragment after the command was complete");
            }
            if (commandBytes == null) {
                commandBytes = new ByteArrayOutputStream(256);
            }
            if (commandBytes.size() + fragment.readableBytes() > 65536) {
                throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "command set larger than 64 KiB");
            }
            fragment.readBytes(commandBytes, fragment.readableBytes());
            if (last) {
                try {
                    command = Commands.decode(commandBytes.toByteArray());
                } catch (IOException e) {
                    throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                            "undecodable command set: " + e.getMessage());
                }
                commandBytes = null;
                if (!Commands.hasDataSet(command)) {
                    dispatch();
                } else {
                    data = new DataSetBuffer(config.dataSetMemoryThreshold(), config.spillDirectory());
                }
            }
        } else {
            if (command == null || data == null) {
                throw new MalformedPduException(AAbort.UNEXPECTED_PDU_PARAMETER,
                        "data set fragment before a complete command that announces one");
            }
            data.append(fragment);
            if (last) {
                data.finish();
                dispatch();
            }
        }
    }

    private void dispatch() {
        Dataset cmd = command;
        DataSetBuffer ds = data;
        int pcid = messagePcid;
        command = null;
        data = null;
        messagePcid = -1;
        int field = cmd.getInt(Tag.CommandField, -1);
        CommandField cf = CommandField.valueOf(field);
        if (cf != null && cf.isResponse()) {
            closeQuietly(ds);
            if (association != null) {
                association.onResponse(cmd);
            }
            return;
        }
        if (requestor || cf == null) {
            closeQuietly(ds);
            respond(pcid, Commands.response(cmd, Status.UNRECOGNIZED_OPERATION, null));
            return;
        }
        switch (cf) {
            case C_ECHO_RQ:
                respond(pcid, Commands.response(cmd, Status.SUCCESS, null));
                return;
            case C_STORE_RQ:
                onStore(pcid, cmd, ds);
                return;
            default:
                closeQuietly(ds);
                respond(pcid, Commands.response(cmd, Status.UNRECOGNIZED_OPERATION, null));
        }
    }

    private void onStore(int pcid, Dataset cmd, DataSetBuffer ds) {
        AcceptedContext pc = info.context(pcid);
        String sopClass = cmd.getString(Tag.AffectedSOPClassUID);
        String sopInstance = cmd.getString(Tag.AffectedSOPInstanceUID);
        if (sopClass == null || sopInstance == null || !sopClass.equals(pc.abstractSyntax())) {
            closeQuietly(ds);
            respond(pcid, Commands.response(cmd, Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "affected SOP class or instance missing or not the context's"));
            return;
        }
        ReceivedInstance instance = new ReceivedInstance(sopClass, sopInstance, pc.transferSyntax(),
                info.callingAet(), config.implementationClassUid(), config.implementationVersion(), ds);
        long bytes = ds.length();
        pendingOperations++;
        java.util.concurrent.CompletionStage<StoreResult> stage;
        try {
            stage = storeService.store(info, cmd, instance);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, failure) -> ctx.executor().execute(() -> {
            pendingOperations--;
            StoreResult r = failure != null || result == null
                    ? StoreResult.failure(Status.OUT_OF_RESOURCES, "not stored: processing failed")
                    : result;
            config.listener().instanceTransferred(info, sopClass, sopInstance, bytes, r.status());
            if (state == AssociationState.STA6 || state == AssociationState.STA8) {
                respond(pcid, Commands.response(cmd, r.status(), r.errorComment()));
            }
            if (releaseRequested && pendingOperations == 0 && state == AssociationState.STA8) {
                releaseRequested = false;
                sendReleaseRP();
            }
        }));
    }

    private void respond(int pcid, Dataset rsp) {
        byte[] encoded = Commands.encode(rsp);
        ByteBuf content = ctx.alloc().buffer(encoded.length + 6);
        content.writeInt(encoded.length + 2).writeByte(pcid).writeByte(PDataTF.COMMAND | PDataTF.LAST);
        content.writeBytes(encoded);
        ctx.writeAndFlush(new PDataTF(content));
    }

    private void discardMessage() {
        command = null;
        commandBytes = null;
        messagePcid = -1;
        closeQuietly(data);
        data = null;
    }

    private static void closeQuietly(DataSetBuffer b) {
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                LOG.debug("cannot delete spill file: {}", e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ requestor release

    /** Sends an A-RELEASE-RQ (requestor side; on the event loop). */
    void requestRelease() {
        if (state != AssociationState.STA6) {
            association.releaseDone();
            ctx.close();
            return;
        }
        state = AssociationState.STA7;
        startTimer(config.responseTimeoutMillis(), "no A-RELEASE-RP within the response timeout");
        ctx.writeAndFlush(AReleaseRQ.INSTANCE);
    }

    boolean isEstablished() {
        return state == AssociationState.STA6;
    }

    // ------------------------------------------------------------------ timers

    private void startTimer(long millis, String why) {
        cancelTimer();
        if (millis <= 0) {
            return;
        }
        timer = ctx.executor().schedule(() -> {
            timer = null;
            LOG.info("{}: {}", name, why);
            if (state == AssociationState.STA13 || state == AssociationState.STA2) {
                if (state == AssociationState.STA2) {
                    config.listener().aborted(null, ctx.channel().remoteAddress(), why);
                }
                state = AssociationState.STA1;
                ctx.close();
            } else {
                abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED), why);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static AssociationInfo.TlsInfo tlsInfo(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        SSLSession s = ssl.engine().getSession();
        X509Certificate[] chain = null;
        String subject = null;
        try {
            Certificate[] peer = s.getPeerCertificates();
            chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                chain[i] = (X509Certificate) peer[i];
            }
            subject = chain.length > 0 ? chain[0].getSubjectX500Principal().getName() : null;
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate (clientAuth WANT or NONE)
        }
        return new AssociationInfo.TlsInfo(s.getProtocol(), s.getCipherSuite(), subject, chain);
    }

    /**
     * A short description of a failure for logs and events. Never the peer's bytes: Netty's NotSslRecordException
     * carries a hex dump of what a plaintext peer sent, which may hold a passcode of its A-ASSOCIATE-RQ.
     */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        // a path validation failure says what was checked ("Unable to determine revocation status due to network
        // error"); its root cause only says what went wrong underneath ("Connection refused")
        java.security.cert.CertPathValidatorException validation =
                t instanceof java.security.cert.CertPathValidatorException v ? v : null;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            if (validation == null && c instanceof java.security.cert.CertPathValidatorException v) {
                validation = v;
            }
        }
        if (c instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "NotSslRecordException: not a TLS record (a plaintext peer on a TLS port?)";
        }
        String m = c.getMessage();
        if (m != null && m.length() > 300) {
            m = m.substring(0, 300) + "...";
        }
        String root = c.getClass().getSimpleName() + (m != null ? ": " + m : "");
        if (validation != null && validation != c && validation.getMessage() != null
                && !root.contains(validation.getMessage())) {
            return "CertPathValidatorException: " + validation.getMessage() + " (" + validation.getReason() + "): "
                    + root;
        }
        return root;
    }

    long configTimeout() {
        return config.responseTimeoutMillis();
    }

    int maxSendPduLength() {
        return config.maxSendPduLength();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (association != null) {
            synchronized (association.writability) {
                association.writability.notifyAll();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }
}
