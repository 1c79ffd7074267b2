package io.drover.server.registry;

import io.drover.model.codec.ResourceCodec;
import io.drover.model.net.IpAddresses;
import io.drover.model.service.EndpointPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What an instance registers: {@code {"address": "10.1.2.3", "ports": [{"name": "http", "port": 8080}],
 * "ttlSeconds": 30}}, checked field by field so that a refusal names the field and what it accepts.
 */
record InstanceRegistration(String address, List<EndpointPort> ports, int ttlSeconds) {

    static final int MIN_TTL_SECONDS = 1;
    static final int MAX_TTL_SECONDS = 86_400;
    /** An id is an annotation key's name part (the instance is stored under it): a label name. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

    static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw RegistryProblem.badRequest("instance id \"" + id + "\" is not valid: use 1 to 63 letters, digits, "
                    + "'-', '_' or '.', starting and ending with a letter or digit, e.g. web-10-1-2-3-8080");
        }
    }

    static InstanceRegistration parse(String body) {
        JsonNode root;
        try {
            root = ResourceCodec.json().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw RegistryProblem.badRequest("the body is not JSON: give {\"address\": \"10.1.2.3\", \"ports\": "
                    + "[{\"name\": \"http\", \"port\": 8080}], \"ttlSeconds\": 30}");
        }
        if (root == null || !root.isObject()) {
            throw RegistryProblem.badRequest("the body must be a JSON object: {\"address\": \"10.1.2.3\", \"ports\": "
                    + "[{\"name\": \"http\", \"port\": 8080}], \"ttlSeconds\": 30}");
        }
        return new InstanceRegistration(address(root.get("address")), ports(root.get("ports")), ttl(root.get("ttlSeconds")));
    }

    private static String address(JsonNode node) {
        if (node == null || node.isNull()) {
            throw RegistryProblem.badRequest("address is required: the instance's IP address, e.g. \"10.1.2.3\"");
        }
        if (!node.isString() || !IpAddresses.isValid(node.asString())) {
            throw RegistryProblem.badRequest("address " + node + " is not an IP address; write one, e.g. \"10.1.2.3\" "
                    + "(host names are not resolved)");
        }
        return node.asString();
    }

    private static List<EndpointPort> ports(JsonNode node) {
        if (node == null || node.isNull() || !node.isArray() || node.isEmpty()) {
            throw RegistryProblem.badRequest("ports is required: a non-empty list such as [{\"name\": \"http\", "
                    + "\"port\": 8080}] (the name may be left out when there is one port)");
        }
        List<EndpointPort> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            String field = "ports[" + i + "]";
            if (!p.isObject()) {
                throw RegistryProblem.badRequest(field + " must be an object such as {\"name\": \"http\", \"port\": 8080}");
            }
            JsonNode number = p.get("port");
            if (number == null || !number.isIntegralNumber() || number.asLong() < 1 || number.asLong() > 65535) {
                throw RegistryProblem.badRequest(field + ".port must be a port number between 1 and 65535; it is "
                        + (number == null ? "missing" : number.toString()));
            }
            JsonNode nameNode = p.get("name");
            String name = nameNode == null || nameNode.isNull() ? "" : nameNode.asString();
            if (!name.isEmpty() && !PORT_NAME.matcher(name).matches()) {
                throw RegistryProblem.badRequest(field + ".name \"" + name + "\" is not a port name: use up to 15 "
                        + "lower-case letters, digits and '-', e.g. http");
            }
            if (name.isEmpty() && node.size() > 1) {
                throw RegistryProblem.badRequest(field + ".name is required: with several ports each needs a name");
            }
            if (!names.add(name)) {
                throw RegistryProblem.badRequest(field + ".name \"" + name + "\" is given twice; port names must differ");
            }
            ports.add(new EndpointPort(name.isEmpty() ? null : name, (int) number.asLong(), "TCP"));
        }
        return List.copyOf(ports);
    }

    private static int ttl(JsonNode node) {
        if (node == null || node.isNull()) {
            throw RegistryProblem.badRequest("ttlSeconds is required: how many seconds the instance stays healthy "
                    + "without a refresh (PUT .../instances/ID/pass), between " + MIN_TTL_SECONDS + " and " + MAX_TTL_SECONDS);
        }
        if (!node.isIntegralNumber() || node.asLong() < MIN_TTL_SECONDS || node.asLong() > MAX_TTL_SECONDS) {
            throw RegistryProblem.badRequest("ttlSeconds must be a whole number between " + MIN_TTL_SECONDS + " and "
                    + MAX_TTL_SECONDS + " (one day); it is " + node);
        }
        return (int) node.asLong();
    }
}
