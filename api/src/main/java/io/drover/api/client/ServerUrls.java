package io.drover.api.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parsing and printing of the server's base URL, shared by the client and its error messages. */
public final class ServerUrls {

    public static final String DEFAULT = "http://127.0.0.1:7443";

    private ServerUrls() {}

    /**
     * Parses {@code http://host:port} (a trailing slash is dropped). Throws IllegalArgumentException with a message
     * that shows the expected form, because a typo here otherwise surfaces as an obscure connection error.
     */
    public static URI parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            throw invalid(text);
        }
        return uri;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid server URL \"" + text + "\": expected http://HOST:PORT, e.g. " + DEFAULT);
    }

    public static String display(URI server) {
        return server.toString();
    }

    /** The {@code --listen} value of a server that would answer at this URL. */
    public static String listenAddress(URI server) {
        int port = server.getPort() != -1 ? server.getPort() : server.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return server.getHost() + ":" + port;
    }
}
