package io.drover.lab.pods;

import io.drover.model.service.Service;
import io.drover.model.service.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables Kubernetes gives a container for the services that exist when it starts (the kubelet's
 * "service links"), so that programs written for Kubernetes find their services in a lab pod the same way:
 * {@code <SVC>_SERVICE_HOST}, {@code <SVC>_SERVICE_PORT}, {@code <SVC>_SERVICE_PORT_<PORT NAME>}, and the Docker-link
 * forms {@code <SVC>_PORT=tcp://ip:port} and {@code <SVC>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]}.
 *
 * <p>As the kubelet: the services of the pod's own namespace, and the {@code kubernetes} service of {@code default}
 * for every pod; only services with a cluster IP (headless and ExternalName services have none); names upper-cased
 * with dashes turned into underscores; {@code <SVC>_SERVICE_PORT} and {@code <SVC>_PORT} name the first port. A
 * service of the pod's namespace wins over the {@code kubernetes} one of the same name. Variables do not follow later
 * changes: a program that must see them should look services up in DNS.
 */
public final class ServiceEnvironment {

    private static final String MASTER_NAMESPACE = "default";
    private static final String MASTER_SERVICE = "kubernetes";

    private ServiceEnvironment() {}

    /**
     * The variables for a pod of {@code podNamespace}, from {@code services} (of any namespaces; the others are
     * ignored), in a stable order: by service name, then as Kubernetes lists them.
     */
    public static Map<String, String> of(String podNamespace, Collection<Service> services) {
        Map<String, Service> byName = new LinkedHashMap<>();
        services.stream()
                .filter(s -> MASTER_NAMESPACE.equals(s.metadata().namespace())
                        && MASTER_SERVICE.equals(s.metadata().name()))
                .forEach(s -> byName.put(s.metadata().name(), s));
        services.stream()
                .filter(s -> podNamespace.equals(s.metadata().namespace()))
                .forEach(s -> byName.put(s.metadata().name(), s));
        List<Service> linked = new ArrayList<>(byName.values());
        linked.sort(Comparator.comparing(s -> s.metadata().name()));
        Map<String, String> env = new LinkedHashMap<>();
        for (Service service : linked) {
            Optional<String> address = service.spec().clusterAddress();
            List<ServicePort> ports = service.spec().portList();
            if (address.isEmpty() || ports.isEmpty()) {
                continue;
            }
            addService(env, variableName(service.metadata().name()), address.get(), ports);
        }
        return env;
    }

    private static void addService(Map<String, String> env, String name, String address, List<ServicePort> ports) {
        env.put(name + "_SERVICE_HOST", address);
        env.put(name + "_SERVICE_PORT", Integer.toString(ports.getFirst().port()));
        for (ServicePort port : ports) {
            if (port.name() != null && !port.name().isEmpty()) {
                env.put(name + "_SERVICE_PORT_" + variableName(port.name()), Integer.toString(port.port()));
            }
        }
        env.put(name + "_PORT", url(ports.getFirst(), address));
        for (ServicePort port : ports) {
            String protocol = port.effectiveProtocol().toUpperCase(Locale.ROOT);
            String prefix = name + "_PORT_" + port.port() + "_" + protocol;
            env.put(prefix, url(port, address));
            env.put(prefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            env.put(prefix + "_PORT", Integer.toString(port.port()));
            env.put(prefix + "_ADDR", address);
        }
    }

    /** {@code tcp://10.96.0.7:80}; an IPv6 address in brackets, as in any URL. */
    private static String url(ServicePort port, String address) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return port.effectiveProtocol().toLowerCase(Locale.ROOT) + "://" + host + ":" + port.port();
    }

    /** {@code my-svc} → {@code MY_SVC}. */
    static String variableName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
