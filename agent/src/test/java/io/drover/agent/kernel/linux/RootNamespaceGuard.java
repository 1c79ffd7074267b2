package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A guard against leaks into the host: the root namespace's interfaces ({@code ip -j link}) must be exactly the
 * same after a test class as before it. Every end-to-end test class uses it; none of them may touch the root
 * namespace at all.
 */
final class RootNamespaceGuard implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RootNamespaceGuard.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (Oracle.isRoot() && Oracle.has("ip")) {
            context.getStore(STORE).put("links", snapshot());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String before = context.getStore(STORE).get("links", String.class);
        if (before != null) {
            assertThat(snapshot()).as("the root namespace's interfaces after " + context.getDisplayName()).isEqualTo(before);
        }
    }

    private static String snapshot() {
        return Oracle.ip(null, "link").toPrettyString();
    }
}
