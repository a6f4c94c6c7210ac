package io.nightshift.runner.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of the test database, standing in for a server that stops
 * answering ({@link #freeze}: connections stay open, no byte passes) or that crashes ({@link #sever}:
 * every connection closes and no new one is accepted).
 */
public final class FreezableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean frozen;
    private volatile boolean freezeNewConnections;

    public FreezableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops passing bytes on the connections open now; with {@code newOnesToo}, new connections get no answer either. */
    public void freeze(boolean newOnesToo) {
        freezeNewConnections = newOnesToo;
        frozen = true;
    }

    /** Closes every connection and stops accepting: the server went away. */
    public void sever() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                if (frozen && freezeNewConnections) {
                    continue;
                }
                boolean openedAfterFreeze = frozen;
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(server);
                pump(client, server, openedAfterFreeze);
                pump(server, client, openedAfterFreeze);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies bytes; a connection opened before {@link #freeze} stops passing them once frozen. */
    private void pump(Socket from, Socket to, boolean openedAfterFreeze) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (frozen && !openedAfterFreeze) {
                        Thread.sleep(50);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed, or the proxy was severed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        sever();
    }
}
