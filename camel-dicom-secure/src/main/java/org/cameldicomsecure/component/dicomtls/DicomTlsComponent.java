package org.cameldicomsecure.component.dicomtls;

import java.util.Map;
import java.util.concurrent.ExecutorService;

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
 * The {@code dicomtls} component: {@code dicomtls:AET@host:port}. Owns the Netty event loops (shared by all its
 * endpoints) and the executor for blocking work (association negotiation with password checks), and releases them
 * when it stops.
 */
@Component("dicomtls")
public class DicomTlsComponent extends DefaultComponent implements SSLContextParametersAware {

    @Metadata(description = "Default options for all endpoints of this component")
    private DicomTlsConfiguration configuration = new DicomTlsConfiguration();
    @Metadata(label = "security", defaultValue = "false",
              description = "Use the global SSL context parameters of the Camel context when an endpoint has no key material options")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", defaultValue = "0",
              description = "Netty I/O threads for all dicomtls endpoints (0: twice the number of cores)")
    private int ioThreads;

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService blocking;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomTlsConfiguration conf = configuration.copy();
        parseAddress(remaining, conf);
        DicomTlsEndpoint endpoint = new DicomTlsEndpoint(uri, this, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** {@code AET@host:port}: the AE title, then the host (IPv6 in brackets), then the port (default 11112). */
    static void parseAddress(String remaining, DicomTlsConfiguration conf) {
        String r = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int at = r.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("dicomtls URI must be dicomtls:AET@host:port, not '" + remaining + "'");
        }
        conf.setAeTitle(r.substring(0, at));
        String hostPort = r.substring(at + 1);
        String host = hostPort;
        int port = 11112;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 address in '" + remaining + "'");
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                port = port(hostPort.substring(close + 2), remaining);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = port(hostPort.substring(colon + 1), remaining);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in dicomtls URI '" + remaining + "'");
        }
        org.cameldicomsecure.net.pdu.AeTitles.check(conf.getAeTitle(), "URI");
        conf.setHost(host);
        conf.setPort(port);
    }

    private static int port(String s, String uri) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + s + "' in dicomtls URI '" + uri + "'");
        }
    }

    synchronized EventLoopGroup boss() {
        if (boss == null) {
            boss = new NioEventLoopGroup(1, new DefaultThreadFactory("dicomtls-accept", true));
        }
        return boss;
    }

    synchronized EventLoopGroup workers() {
        if (workers == null) {
            workers = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("dicomtls-io", true));
        }
        return workers;
    }

    synchronized ExecutorService blocking() {
        if (blocking == null) {
            blocking = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "dicomtls-blocking");
        }
        return blocking;
    }

    SSLContextParameters globalSslContextParameters() {
        return useGlobalSslContextParameters ? retrieveGlobalSslContextParameters() : null;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            boss = null;
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            workers = null;
        }
        if (blocking != null) {
            getCamelContext().getExecutorServiceManager().shutdown(blocking);
            blocking = null;
        }
        super.doStop();
    }

    public DicomTlsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomTlsConfiguration configuration) {
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
