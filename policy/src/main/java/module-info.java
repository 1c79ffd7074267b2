/**
 * NetworkPolicy and distributed firewall semantics, pure and without I/O: which connections the policies of a cluster
 * allow and why ({@link io.drover.policy.PolicySnapshot#evaluate}), what each pod's data plane must enforce
 * ({@link io.drover.policy.PolicySnapshot#compile}, {@link io.drover.policy.PolicySnapshot#compileFirewall}), and the
 * NetworkPolicy conformance cases. Depends only on the model.
 */
module io.drover.policy {
    requires transitive io.drover.model;
    requires tools.jackson.dataformat.yaml;

    exports io.drover.policy;
    exports io.drover.policy.cidr;
    exports io.drover.policy.conformance;
}
