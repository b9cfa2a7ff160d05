package org.cameldicomsecure.component.dicomtls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.cameldicomsecure.audit.dimse.DimseAuditor;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.net.DicomClient;
import org.cameldicomsecure.net.SslEngineFactory;
import org.cameldicomsecure.net.assoc.Association;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.dimse.DimseStatusException;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.cameldicomsecure.net.assoc.DicomNetworkException;
import org.cameldicomsecure.tls.TlsContextFactory;

/**
 * Storage SCU (operation=store, the default) and C-ECHO (operation=echo). Associations are reused across exchanges
 * and closed after {@code idleTimeout}; when an instance needs a presentation context the open association lacks, a
 * new one proposing every context seen so far replaces it. Sets {@code CamelDicomStatus}; a failure or warning status,
 * or a rejected association, fails the exchange.
 */
public class DicomTlsProducer extends DefaultAsyncProducer {

    private DimseAuditor auditor;
    private static final String VERIFICATION = "1.2.840.10008.1.1";

    /** SOP class → transfer syntaxes proposed for it. */
    private final Map<String, Set<String>> proposed = new LinkedHashMap<>();
    private Association association;
    private ScheduledFuture<?> idleClose;
    private SslEngineFactory engines;
    private AssociationConfig associationConfig;
    private UserIdentityRQ identity;
    private ScheduledExecutorService scheduler;

    public DicomTlsProducer(DicomTlsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomTlsEndpoint getEndpoint() {
        return (DicomTlsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomTlsEndpoint ep = getEndpoint();
        TlsContextFactory tls = ep.createTls();
        engines = DicomTlsEndpoint.engines(tls);
        DicomTlsConfiguration c = ep.getConfiguration();
        auditor = DicomAuditComponent.autoAuditor(ep.getCamelContext());
        AssociationListener listener = AssociationListener.both(AssociationListener.both(c.getAssociationListener(),
                auditor), c.isAssociationSummary() ? DicomTlsEndpoint.summaryLog() : null);
        associationConfig = ep.associationConfig(ep.getComponent().blocking(), listener);
        identity = ep.userIdentityRQ();
        scheduler = ep.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "dicomtls-idle");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            getEndpoint().getComponent().blocking().execute(() -> {
                try {
                    send(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                } finally {
                    callback.done(false);
                }
            });
            return false;
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void send(Exchange exchange) throws Exception {
        DicomTlsConfiguration c = getEndpoint().getConfiguration();
        Dataset rsp;
        String operation;
        if ("echo".equalsIgnoreCase(c.getOperation())) {
            operation = "C-ECHO";
            rsp = await(association(null, null).echo());
        } else if ("store".equalsIgnoreCase(c.getOperation())) {
            operation = "C-STORE";
            DicomFile file = exchange.getIn().getMandatoryBody(DicomFile.class);
            String sopClass = sopClass(file);
            Association a = association(sopClass, file.transferSyntax());
            DimseAuditor.InstanceFacts facts = auditor == null ? null
                    : DicomTlsConsumer.facts(sopClass, file.dataset().getString(Tag.SOPInstanceUID), file.dataset());
            if (facts != null) {
                auditor.beginning(a.info(), facts);
            }
            try {
                rsp = await(a.store(file, c.getPriority()));
            } catch (Exception e) {
                if (facts != null) {
                    auditor.instance(a.info(), facts, false);
                }
                throw e;
            }
            if (facts != null) {
                int st = rsp.getInt(Tag.Status, -1);
                auditor.instance(a.info(), facts, Status.isSuccess(st) || Status.isWarning(st));
            }
        } else {
            throw new IllegalArgumentException("unknown operation '" + c.getOperation() + "'; use store or echo");
        }
        int status = rsp.getInt(Tag.Status, -1);
        exchange.getMessage().setHeader(DicomTlsConstants.STATUS, status);
        if (!Status.isSuccess(status)) {
            throw new DimseStatusException(operation, status, rsp.getString(Tag.ErrorComment));
        }
    }

    private static String sopClass(DicomFile file) {
        String s = file.fileMeta() != null ? file.fileMeta().getString(Tag.MediaStorageSOPClassUID) : null;
        s = s != null ? s : file.dataset().getString(Tag.SOPClassUID);
        if (s == null) {
            throw new IllegalArgumentException("the instance has no SOP Class UID");
        }
        return s;
    }

    private Dataset await(java.util.concurrent.CompletableFuture<Dataset> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } finally {
            scheduleIdleClose();
        }
    }

    /** An open association with a context for {@code sopClass} in {@code ts} (or for Verification). */
    private synchronized Association association(String sopClass, TransferSyntax ts) throws Exception {
        cancelIdleClose();
        boolean needNew = association == null || !association.isOpen();
        if (sopClass != null) {
            Set<String> tss = proposed.computeIfAbsent(sopClass, k -> new LinkedHashSet<>());
            tss.add(ts.uid());
            if (!ts.encapsulated()) {
                tss.add(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
                tss.add(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
            }
            needNew = needNew || !canSend(association.info(), sopClass, ts);
        }
        if (!needNew) {
            return association;
        }
        if (association != null) {
            association.close();
        }
        DicomTlsConfiguration c = getEndpoint().getConfiguration();
        List<PresentationContextRQ> pcs = new ArrayList<>();
        pcs.add(new PresentationContextRQ(1, VERIFICATION, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())));
        int id = 3;
        for (Map.Entry<String, Set<String>> e : proposed.entrySet()) {
            // one context per transfer syntax, so the acceptor can take the instance's own (PS3.8 7.1.1.13)
            for (String t : e.getValue()) {
                if (id > 255) {
                    break;
                }
                pcs.add(new PresentationContextRQ(id, e.getKey(), List.of(t)));
                id += 2;
            }
        }
        UserInformation ui = UserInformation.of(c.getMaxPduLength(), AssociationConfig.IMPLEMENTATION_CLASS_UID,
                AssociationConfig.IMPLEMENTATION_VERSION);
        if (identity != null) {
            ui = ui.withUserIdentityRQ(identity);
        }
        AAssociateRQ rq = new AAssociateRQ(1, c.getAeTitle(), c.getCallingAet(), AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                pcs, ui);
        DicomTlsComponent comp = getEndpoint().getComponent();
        try {
            association = DicomClient.connect(comp.workers(), getEndpoint().remoteAddress(), associationConfig, rq,
                    engines, (int) c.getConnectTimeout()).get(c.getConnectTimeout() + c.getResponseTimeout(),
                            TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            association = null;
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (identity != null && identity.positiveResponseRequested()
                && association.info().userIdentityResponse() == null) {
            association.close();
            association = null;
            throw new DicomNetworkException("the acceptor did not confirm the user identity (positiveResponseRequested)");
        }
        return association;
    }

    /** Whether {@link Association#store} finds a context: the instance's own syntax, or any native one for a native. */
    private static boolean canSend(org.cameldicomsecure.net.assoc.AssociationInfo info, String sopClass,
            TransferSyntax ts) {
        if (info.contextFor(sopClass, ts.uid()) != null) {
            return true;
        }
        if (ts.encapsulated()) {
            return false;
        }
        return info.contexts().values().stream()
                .anyMatch(c -> c.abstractSyntax().equals(sopClass) && !c.transferSyntax().encapsulated());
    }

    private synchronized void scheduleIdleClose() {
        cancelIdleClose();
        long idle = getEndpoint().getConfiguration().getIdleTimeout();
        if (association != null && idle > 0) {
            Association a = association;
            idleClose = scheduler.schedule(() -> closeIfIdle(a), idle, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void closeIfIdle(Association a) {
        if (association == a) {
            association = null;
            a.close();
        }
    }

    private void cancelIdleClose() {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        cancelIdleClose();
        if (association != null) {
            association.close();
            association = null;
        }
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        super.doStop();
    }
}
