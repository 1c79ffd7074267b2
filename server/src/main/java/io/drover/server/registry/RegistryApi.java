package io.drover.server.registry;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.model.codec.ResourceCodec;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service registry, Consul-like, under {@value #PREFIX}: the services and their healthy endpoints (with
 * blocking queries), and external instances registered with a TTL. Served by every server; the TTLs are applied
 * by the leader's {@link TtlExpirer}.
 */
public final class RegistryApi implements HttpService, AutoCloseable {

    public static final String PREFIX = "/registry/v1";
    /** The index of an answer, for the next blocking query's {@code index} parameter. */
    public static final String INDEX_HEADER = "X-Drover-Index";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);
    private static final String INSTANCE = "/services/{namespace}/{name}/instances/{id}";

    private final HealthySetIndex index;
    private final ServiceAnswers answers;
    private final InstanceStore instances;

    public RegistryApi(ResourceRegistry registry, Clock clock) {
        this.index = new HealthySetIndex(registry);
        this.answers = new ServiceAnswers(registry, index);
        this.instances = new InstanceStore(registry, clock);
        index.start();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/services", handle((req, res) -> json(res, Status.OK_200, Map.of("services", answers.list()))))
                .get("/services/{namespace}/{name}", handle(this::healthy))
                .put(INSTANCE, handle((req, res) -> {
                    InstanceRegistration.checkId(param(req, "id")); // the path is wrong before the body is
                    InstanceRegistration registration = InstanceRegistration.parse(req.content().as(String.class));
                    instances.register(param(req, "namespace"), param(req, "name"), param(req, "id"), registration);
                    json(res, Status.OK_200, Map.of("registered", param(req, "id")));
                }))
                .put(INSTANCE + "/pass", handle((req, res) -> {
                    instances.refresh(param(req, "namespace"), param(req, "name"), param(req, "id"));
                    json(res, Status.OK_200, Map.of("refreshed", param(req, "id")));
                }))
                .delete(INSTANCE, handle((req, res) -> {
                    instances.deregister(param(req, "namespace"), param(req, "name"), param(req, "id"));
                    json(res, Status.OK_200, Map.of("deregistered", param(req, "id")));
                }))
                .any(handle((req, res) -> {
                    throw new RegistryProblem(404, req.prologue().method().text() + " " + PREFIX + req.path().path()
                            + " is not a registry request; use GET " + PREFIX + "/services, GET " + PREFIX
                            + "/services/NS/NAME, PUT or DELETE " + PREFIX + INSTANCE.replace("{namespace}", "NS")
                            .replace("{name}", "NAME").replace("{id}", "ID") + ", PUT .../instances/ID/pass");
                }));
    }

    private void healthy(ServerRequest req, ServerResponse res) throws InterruptedException {
        BlockingQuery query = BlockingQuery.parse(req.query().first("index").asOptional(),
                req.query().first("wait").asOptional());
        String namespace = param(req, "namespace");
        String name = param(req, "name");
        ServiceAnswers.HealthyAnswer answer = answers.healthy(namespace, name, query);
        res.header(INDEX_HEADER, Long.toString(answer.index()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("name", name);
        body.put("index", answer.index());
        body.put("endpoints", answer.endpoints());
        json(res, Status.OK_200, body);
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    @FunctionalInterface
    private interface RegistryHandler {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** Turns refusals into JSON errors with their status, and anything unexpected into a logged 500. */
    private static Handler handle(RegistryHandler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (RegistryProblem e) {
                error(res, e.status(), e.getMessage());
            } catch (ApiException e) {
                error(res, e.reason().status(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error(res, 503, "the server is stopping; ask again (or another server)");
            } catch (RuntimeException e) {
                LOG.error("internal error serving {} {}", req.prologue().method().text(), req.path().path(), e);
                error(res, 500, "internal error: " + e);
            }
        };
    }

    private static void error(ServerResponse res, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        json(res, Status.create(status), body);
    }

    private static void json(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(ResourceCodec.toJson(body));
    }

    @Override
    public void close() {
        index.close();
    }
}
