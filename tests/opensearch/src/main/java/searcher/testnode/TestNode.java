package searcher.testnode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for searcher's cluster tests: the plugins come from the class path
 * (as OpenSearch's own MockNode loads them), so no distribution is unpacked. Arguments are
 * key=value: name, home, http.port, transport.port, and for a cluster seeds (host:port,...) and
 * managers (node names). Prints "started NAME http=PORT" when the node answers; SIGTERM closes it.
 */
public final class TestNode {
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Settings settings = settings(options);
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        loadPainlessExtensions();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), null, () -> options.get("name"));
        // Node's constructor that takes plugin classes is protected: the one a distribution never uses.
        Node node = new Node(
            environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class), true) {
        };
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, closed)));
        node.start();
        System.out.println("started " + options.get("name") + " http=" + options.get("http.port"));
        System.out.flush();
        closed.await();
    }

    /**
     * Plugins on the class path are not linked to the plugins they extend, so painless would not know
     * analysis-common's script classes (the `condition` token filter's). Its allowlists are static: loading
     * the extensions once, before the node builds its script engine, is what a plugin bundle would do.
     */
    private static void loadPainlessExtensions() {
        new PainlessPlugin().loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
            @Override
            public <T> List<T> loadExtensions(Class<T> type) {
                return ServiceLoader.load(type, TestNode.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();
            }
        });
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        for (String required : List.of("name", "home", "http.port", "transport.port")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + "=...");
            }
        }
        return options;
    }

    private static Settings settings(Map<String, String> options) {
        Path home = Path.of(options.get("home")).toAbsolutePath();
        Settings.Builder builder = Settings.builder()
            .put("cluster.name", options.getOrDefault("cluster", "searcher-test"))
            .put("node.name", options.get("name"))
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", options.get("http.port"))
            .put("transport.port", options.get("transport.port"))
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // A shared test machine's disk may be fuller than the watermarks allow; the data is throwaway.
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        String seeds = options.get("seeds");
        if (seeds == null || seeds.isEmpty()) {
            builder.put("discovery.type", "single-node");
        } else {
            builder.putList("discovery.seed_hosts", List.of(seeds.split(",")));
            builder.putList("cluster.initial_cluster_manager_nodes", List.of(options.get("managers").split(",")));
        }
        return builder.build();
    }

    private static void close(Node node, CountDownLatch closed) {
        try {
            node.close();
            node.awaitClose(30, TimeUnit.SECONDS);
        } catch (Exception error) {
            error.printStackTrace();
        } finally {
            closed.countDown();
        }
    }
}
