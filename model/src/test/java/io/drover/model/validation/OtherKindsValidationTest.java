package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.node.Node.NodeSpec;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Namespace.NamespaceSpec;
import io.drover.model.tenant.Tenant;
import io.drover.model.tenant.Tenant.TenantSpec;
import org.junit.jupiter.api.Test;

class OtherKindsValidationTest {

    @Test
    void nodeAddressIsAnIpLiteral() {
        assertThat(Validators.validate(Node.of(ObjectMeta.named("node-1"), new NodeSpec("192.168.1.10")))).isEmpty();
        assertThat(Validators.validate(Node.of(ObjectMeta.named("node-1"), new NodeSpec("fd00::10")))).isEmpty();
        assertThat(Validators.validate(Node.of(ObjectMeta.named("node-1"), new NodeSpec(null)))).isEmpty();
        assertThat(Validators.validate(Node.of(ObjectMeta.named("node-1"), new NodeSpec("node-1.example.com"))))
                .containsExactly(new FieldError("spec.address", "'node-1.example.com' is not an IPv4 or IPv6 address; "
                        + "give the node's IP address (Drover does not resolve host names)"));
        assertThat(Validators.validate(Node.of(ObjectMeta.named("node-1"), new NodeSpec(""))))
                .containsExactly(new FieldError("spec.address", "empty IP address; give the node's IP address "
                        + "(Drover does not resolve host names)"));
    }

    @Test
    void namespaceTenantIsATenantName() {
        assertThat(Validators.validate(Namespace.of(ObjectMeta.named("shop"), new NamespaceSpec("acme.example")))).isEmpty();
        assertThat(Validators.validate(Namespace.of(ObjectMeta.named("shop"), new NamespaceSpec("")))).isEmpty();
        assertThat(Validators.validate(Namespace.of(ObjectMeta.named("shop"), new NamespaceSpec("Acme"))))
                .containsExactly(new FieldError("spec.tenant", "'Acme' must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"));
    }

    @Test
    void kindAndApiVersionMatchTheRecord() {
        assertThat(Validators.validate(new Tenant("v1", "Pod", ObjectMeta.named("acme"), null))).containsExactly(
                new FieldError("kind", "'Pod' does not match the resource, a Tenant; write kind: Tenant"),
                new FieldError("apiVersion", "'v1' does not go with kind Tenant; write apiVersion: drover.io/v1"));
        assertThat(Validators.validate(new Tenant(null, null, ObjectMeta.named("acme"), null))).isEmpty();
    }

    @Test
    void tenantDescriptionIsFreeText() {
        assertThat(Validators.validate(Tenant.of(ObjectMeta.named("acme"), new TenantSpec("Anything: at all / ok")))).isEmpty();
    }
}
