package org.cameldicomsecure.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A client and a server {@link SSLEngine} connected in memory: a loop moves the TLS records between them (as Netty's
 * {@code SslHandler} would move them over a channel) and runs delegated tasks.
 */
final class EnginePair {

    /** The handshake failed on one side or both. */
    static final class HandshakeFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final SSLException client;
        final SSLException server;

        HandshakeFailed(SSLException client, SSLException server) {
            super("client: " + (client == null ? "-" : client.getMessage()) + " / server: "
                    + (server == null ? "-" : server.getMessage()), client != null ? client : server);
            this.client = client;
            this.server = server;
        }

        /** Both messages, for assertions on the reason. */
        String messages() {
            return getMessage() + causes(client) + causes(server);
        }

        private static String causes(Throwable t) {
            StringBuilder sb = new StringBuilder();
            for (Throwable c = t; c != null; c = c.getCause()) {
                sb.append(" | ").append(c);
            }
            return sb.toString();
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 18);
    private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 18);
    private final ByteBuffer clientReceived = ByteBuffer.allocate(1 << 18);
    private final ByteBuffer serverReceived = ByteBuffer.allocate(1 << 18);
    private ByteBuffer clientPending = EMPTY;
    private ByteBuffer serverPending = EMPTY;
    private SSLException clientFailure;
    private SSLException serverFailure;

    EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    /** Runs the handshake to its end (including TLS 1.3 tickets). */
    EnginePair handshake() throws HandshakeFailed {
        try {
            client.beginHandshake();
            server.beginHandshake();
        } catch (SSLException e) {
            throw new HandshakeFailed(e, null);
        }
        pump();
        if (clientFailure != null || serverFailure != null) {
            throw new HandshakeFailed(clientFailure, serverFailure);
        }
        if (!finished(client) || !finished(server)) {
            throw new IllegalStateException("handshake did not finish: client " + client.getHandshakeStatus()
                    + ", server " + server.getHandshakeStatus());
        }
        return this;
    }

    /** Sends text from the client to the server and returns what the server read. */
    String clientToServer(String text) throws HandshakeFailed {
        clientPending = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        pump();
        return drain(serverReceived);
    }

    /** Sends text from the server to the client and returns what the client read. */
    String serverToClient(String text) throws HandshakeFailed {
        serverPending = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        pump();
        return drain(clientReceived);
    }

    private String drain(ByteBuffer b) throws HandshakeFailed {
        if (clientFailure != null || serverFailure != null) {
            throw new HandshakeFailed(clientFailure, serverFailure);
        }
        b.flip();
        String s = StandardCharsets.UTF_8.decode(b).toString();
        b.clear();
        return s;
    }

    String protocol() {
        return client.getSession().getProtocol();
    }

    String cipherSuite() {
        return client.getSession().getCipherSuite();
    }

    /** The certificate the server presented. */
    X509Certificate serverCertificate() throws SSLPeerUnverifiedException {
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }

    /** The certificate the client presented, or {@code null}. */
    X509Certificate clientCertificate() {
        try {
            Certificate[] c = server.getSession().getPeerCertificates();
            return (X509Certificate) c[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static boolean finished(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private void pump() {
        for (int i = 0; i < 500; i++) {
            boolean moved = step(true) | step(false);
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("the engines kept exchanging records for 500 rounds");
    }

    /** One round for one side: tasks, wrap what it has to send, unwrap what it received. */
    private boolean step(boolean isClient) {
        SSLEngine e = isClient ? client : server;
        ByteBuffer out = isClient ? clientToServer : serverToClient;
        ByteBuffer in = isClient ? serverToClient : clientToServer;
        ByteBuffer app = isClient ? clientReceived : serverReceived;
        boolean moved = false;
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
            moved = true;
        }
        try {
            if (!e.isOutboundDone()) {
                ByteBuffer src = isClient ? clientPending : serverPending;
                SSLEngineResult r = e.wrap(src, out);
                moved |= r.bytesProduced() > 0 || r.bytesConsumed() > 0;
            }
        } catch (SSLException ex) {
            moved |= fail(isClient, ex);
        }
        in.flip();
        try {
            if (in.hasRemaining() && !e.isInboundDone()) {
                SSLEngineResult r = e.unwrap(in, app);
                moved |= r.bytesProduced() > 0 || r.bytesConsumed() > 0;
            }
        } catch (SSLException ex) {
            moved |= fail(isClient, ex);
        } finally {
            in.compact();
        }
        return moved;
    }

    /** Records the first failure of a side; {@code true} if it is the first. */
    private boolean fail(boolean isClient, SSLException ex) {
        if (isClient && clientFailure == null) {
            clientFailure = ex;
            return true;
        }
        if (!isClient && serverFailure == null) {
            serverFailure = ex;
            return true;
        }
        return false;
    }
}
