package graf.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one OpenSearch 2.19 node in this JVM from the Maven artifacts, without the
 * distribution: a {@link Node} subclass hands the plugins graf's tests need (netty4 transport
 * and HTTP, the common analyzers with the english stemmer and path_hierarchy tokenizer,
 * painless) to the node as classpath plugins, the way OpenSearch's own MockNode does.
 *
 * <p>Settings come from the command line as {@code key=value} pairs (cluster.name, node.name,
 * path.home, path.data, http.port, transport.port, ...), so scripts/services/opensearch.sh owns
 * the cluster's shape. The node runs until the process is stopped (SIGTERM closes it cleanly).
 * The distribution's bootstrap (security manager, jar-hell and bootstrap checks) is not run;
 * path.home's modules/ and plugins/ folders are kept empty so that nothing is loaded from disk.
 */
public final class Launcher {
    private static final List<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

    /** A node with classpath plugins; the protected constructor is the embedding hook. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder()
            .put("network.host", "127.0.0.1")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // Free disk on test machines can be small: the watermarks would refuse replicas.
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("config"));
        String name = settings.get("node.name", "node");
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), home.resolve("config"), () -> name);
        Node node = new ClasspathNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        System.out.println("graf-opensearch: node " + name + " started");
        stopped.await();
    }
}
