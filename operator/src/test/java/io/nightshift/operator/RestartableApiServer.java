package io.nightshift.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Kubernetes' API mock in CRUD mode that can be stopped and started again on the same port with what it
 * stored, as a real API server restarts on its etcd: while stopped, connections are refused and the open
 * watches are closed; once started, the same objects and resource versions are served again.
 */
public final class RestartableApiServer implements AutoCloseable {

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMixedDispatcher store = new KubernetesMixedDispatcher(expectations);
    private final int port;
    private KubernetesMockServer server;

    public RestartableApiServer() {
        server = serve(0);
        port = server.getPort();
    }

    private KubernetesMockServer serve(int onPort) {
        KubernetesMockServer mock = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations, store,
                false);
        mock.init(InetAddress.getLoopbackAddress(), onPort);
        return mock;
    }

    /** A new client configuration for this server, as a kubeconfig would give it. */
    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port + "/").withNamespace("test")
                .withHttp2Disable(true).withOauthToken("secret").build();
    }

    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** Serves again, on the same port, what it held when stopped. */
    public synchronized void start() {
        if (server == null) {
            server = serve(port);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
