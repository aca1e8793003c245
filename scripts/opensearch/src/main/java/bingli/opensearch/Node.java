package bingli.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node bound to 127.0.0.1 for tests and blocks until the
 * process is told to stop (SIGTERM/SIGINT, or stdin closing).
 *
 * Usage: Node HTTP_PORT TRANSPORT_PORT BASE_DIR
 */
public final class Node {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Node HTTP_PORT TRANSPORT_PORT BASE_DIR");
            System.exit(2);
        }
        final String httpPort = args[0];
        final String transportPort = args[1];
        final Path base = Paths.get(args[2]).toAbsolutePath();
        Files.createDirectories(base);

        final OpenSearchRunner runner = new OpenSearchRunner();
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println("close: " + e);
            }
            stop.countDown();
        }));
        runner.onBuild((number, s) -> {
            s.put("network.host", "127.0.0.1");
            s.put("http.port", httpPort);
            s.put("transport.port", transportPort);
            s.put("discovery.type", "single-node");
            s.put("action.auto_create_index", "true");
            // A test node on a shared machine: never refuse writes for disk.
            s.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        }).build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .clusterName("bingli-test"));
        runner.ensureYellow();
        System.out.println("BINGLI-OPENSEARCH-READY http://127.0.0.1:" + httpPort);
        System.out.flush();

        // Stop when the parent closes our stdin (the Go test process died).
        final Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // ignore input
                }
            } catch (Exception ignored) {
                // treat as closed
            }
            System.exit(0);
        });
        watch.setDaemon(true);
        watch.start();
        stop.await();
    }
}
