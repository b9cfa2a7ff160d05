package org.cameldicomsecure.component.dicomtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.cameldicomsecure.audit.dimse.DimseAuditor;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.net.DicomServer;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.dimse.ReceivedInstance;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.net.dimse.StoreResult;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage and Verification SCP. Each received instance becomes one exchange, run off the event loop; its C-STORE
 * response is sent only when the exchange is done: Success if it completed, {@link Status#OUT_OF_RESOURCES} (A700) if
 * it failed, {@link Status#CANNOT_UNDERSTAND} (C000) if the data set cannot be parsed (the route never sees it).
 */
public class DicomTlsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(DicomTlsConsumer.class);

    private DicomReader reader;
    private DicomServer server;
    private DimseAuditor auditor;
    private ExecutorService executor;

    public DicomTlsConsumer(DicomTlsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public DicomTlsEndpoint getEndpoint() {
        return (DicomTlsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomTlsEndpoint ep = getEndpoint();
        DicomTlsConfiguration c = ep.getConfiguration();
        TlsContextFactory tls = ep.createTls();
        // reads only the UIDs before the route runs: what was spilled stays in the spill file, not in the heap
        reader = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(
                Math.min(c.getDataSetMemoryThreshold(), DicomReaderOptions.DEFAULT.bulkDataThreshold())));
        executor = ep.getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "dicomtls-consumer-" + c.getAeTitle(), c.getConcurrentConsumers());
        auditor = DicomAuditComponent.autoAuditor(ep.getCamelContext());
        AssociationListener listener = AssociationListener.both(AssociationListener.both(c.getAssociationListener(),
                auditor), c.isAssociationSummary() ? DicomTlsEndpoint.summaryLog() : null);
        DicomTlsComponent comp = ep.getComponent();
        server = DicomServer.start(new InetSocketAddress(c.getHost(), c.getPort()), comp.boss(), comp.workers(),
                ep.associationConfig(comp.blocking(), listener), ep.acceptorPolicy(), this::store,
                DicomTlsEndpoint.engines(tls), c.getTlsHandshakeTimeout());
        LOG.info("{} listening on {} ({})", c.getAeTitle(), server.localAddress(),
                tls == null ? "plain TCP" : "TLS " + tls.profile().name());
    }

    /** The bound address (the actual port when configured with port 0). */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    private CompletionStage<StoreResult> store(AssociationInfo association, Dataset command, ReceivedInstance instance) {
        CompletableFuture<StoreResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> process(association, instance, result));
        } catch (RuntimeException e) {
            // rejected by a stopping executor: the sender keeps the instance
            closeQuietly(instance);
            result.complete(StoreResult.failure(Status.OUT_OF_RESOURCES, "receiver is shutting down"));
        }
        return result;
    }

    private void process(AssociationInfo association, ReceivedInstance instance, CompletableFuture<StoreResult> result) {
        DicomFile parsed;
        try {
            parsed = instance.parse(reader);
        } catch (IOException e) {
            LOG.info("{}: {} not accepted: {}", association.name(), instance.sopInstanceUid(), e.getMessage());
            closeQuietly(instance);
            result.complete(StoreResult.failure(Status.CANNOT_UNDERSTAND, "data set cannot be parsed"));
            return;
        }
        String dsInstance = parsed.dataset().getString(Tag.SOPInstanceUID);
        if (dsInstance != null && !dsInstance.equals(instance.sopInstanceUid())) {
            closeQuietly(instance);
            result.complete(StoreResult.failure(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Instance UID differs from the command's"));
            return;
        }
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(instance);
        in.setHeader(DicomTlsConstants.CALLING_AET, association.callingAet());
        in.setHeader(DicomTlsConstants.CALLED_AET, association.calledAet());
        in.setHeader(DicomTlsConstants.REMOTE_HOST, association.remote().getAddress().getHostAddress());
        if (association.tls() != null && association.tls().peerSubject() != null) {
            in.setHeader(DicomTlsConstants.REMOTE_CERTIFICATE_SUBJECT, association.tls().peerSubject());
        }
        if (association.username() != null) {
            in.setHeader(DicomTlsConstants.USERNAME, association.username());
        }
        in.setHeader(DicomTlsConstants.SOP_CLASS_UID, instance.sopClassUid());
        in.setHeader(DicomTlsConstants.SOP_INSTANCE_UID, instance.sopInstanceUid());
        String study = parsed.dataset().getString(Tag.StudyInstanceUID);
        if (study != null) {
            in.setHeader(DicomTlsConstants.STUDY_INSTANCE_UID, study);
        }
        in.setHeader(DicomTlsConstants.TRANSFER_SYNTAX_UID, instance.transferSyntax().uid());
        DimseAuditor.InstanceFacts facts = auditor == null ? null : facts(instance.sopClassUid(),
                instance.sopInstanceUid(), parsed.dataset());
        if (facts != null) {
            auditor.beginning(association, facts);
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (facts != null) {
                auditor.instance(association, facts, !exchange.isFailed());
            }
            StoreResult r;
            if (exchange.isFailed()) {
                Exception e = exchange.getException();
                if (e != null) {
                    getExceptionHandler().handleException("route failed for a received instance", exchange, e);
                }
                r = StoreResult.failure(Status.OUT_OF_RESOURCES, "not stored: route failed");
            } else {
                r = StoreResult.SUCCESS;
            }
            releaseExchange(exchange, false);
            if (getEndpoint().getConfiguration().isDeleteReceivedFiles()) {
                try {
                    instance.close();
                } catch (IOException e) {
                    LOG.debug("cannot delete the temporary file of {}: {}", instance.sopInstanceUid(), e.toString());
                }
            }
            result.complete(r);
        });
    }

    /** What automatic auditing needs of an instance (its UIDs, study and patient). */
    static DimseAuditor.InstanceFacts facts(String sopClass, String sopInstance, Dataset ds) {
        return new DimseAuditor.InstanceFacts(sopClass, sopInstance, ds.getString(Tag.StudyInstanceUID),
                ds.getString(Tag.PatientID), ds.getString(Tag.PatientName), ds.getString(Tag.AccessionNumber));
    }

    /** Deletes the spill file of an instance no exchange got (refused before the route). */
    private static void closeQuietly(ReceivedInstance instance) {
        try {
            instance.close();
        } catch (IOException e) {
            LOG.debug("cannot delete the temporary file of {}: {}", instance.sopInstanceUid(), e.toString());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }
}
