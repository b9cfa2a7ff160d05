package org.cameldicomsecure.component.dicomweb;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The {@code dicomweb} component: {@code dicomweb:https://host:port/path}. Owns the Netty event loops of its origin
 * servers and the servers themselves: consumers on the same host and port (say one for STOW-RS, one for WADO-RS, one
 * for QIDO-RS) share one server, which closes when the last of them stops.
 */
@Component("dicomweb")
public class DicomWebComponent extends DefaultComponent implements SSLContextParametersAware {

    @Metadata(description = "Default options for all endpoints of this component")
    private DicomWebConfiguration configuration = new DicomWebConfiguration();
    @Metadata(label = "security", defaultValue = "false",
              description = "Use the global SSL context parameters of the Camel context when an endpoint has no key material options")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", defaultValue = "0",
              description = "Netty I/O threads for all dicomweb origin servers (0: twice the number of cores)")
    private int ioThreads;

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final Map<String, SharedServer> servers = new HashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomWebConfiguration conf = configuration.copy();
        conf.setBaseUri(remaining);
        DicomWebEndpoint endpoint = new DicomWebEndpoint(uri, this, conf);
        setProperties(endpoint, parameters);
        endpoint.address(); // validates the base URI now
        return endpoint;
    }

    synchronized EventLoopGroup boss() {
        if (boss == null) {
            boss = new NioEventLoopGroup(1, new DefaultThreadFactory("dicomweb-accept", true));
        }
        return boss;
    }

    synchronized EventLoopGroup workers() {
        if (workers == null) {
            workers = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("dicomweb-io", true));
        }
        return workers;
    }

    /** The servers of the consumers, by host:port. */
    Map<String, SharedServer> servers() {
        return servers;
    }

    SSLContextParameters globalSslContextParameters() {
        return useGlobalSslContextParameters ? retrieveGlobalSslContextParameters() : null;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (SharedServer s : servers.values()) {
            s.closeNow();
        }
        servers.clear();
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            boss = null;
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers = null;
        }
        super.doStop();
    }

    public DicomWebConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomWebConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }
}
