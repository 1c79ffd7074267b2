package io.drover.lab.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One look at an etcd member's {@code /health} (served on its client URL): healthy when it answers
 * {@code "health":"true"}, which a member does only while its cluster has a leader (a quorum of members up).
 *
 * @param healthy whether it said so
 * @param text    what it answered, or why there was no answer, in words
 */
public record EtcdHealth(boolean healthy, String text) {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    public static EtcdHealth of(String clientUrl) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(clientUrl).resolve("/health"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body().strip();
            boolean healthy = response.statusCode() == 200 && body.replace(" ", "").contains("\"health\":\"true\"");
            return new EtcdHealth(healthy, "HTTP " + response.statusCode() + " " + body);
        } catch (IOException e) {
            return new EtcdHealth(false, "no answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new EtcdHealth(false, "interrupted");
        }
    }
}
