package io.drover.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.tenant.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApplyDecisionTest {

    private static ObjectMeta meta(Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMeta("web-1", "shop", labels, annotations, null, null, null);
    }

    private static ObjectMeta stored(Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMeta("web-1", "shop", labels, annotations, "uid-1", "41", "2026-03-01T11:00:00Z");
    }

    private final Pod desired = Pod.of(meta(Map.of("app", "web"), Map.of()), PodSpec.on("node-1", "blue"));

    @Test
    void absentIsCreatedWithoutServerFields() {
        Resource fromGetOutput = desired.withMetadata(stored(Map.of("app", "web"), Map.of()));

        ApplyAction action = ApplyDecision.decide(fromGetOutput, Optional.empty());

        assertThat(action).isInstanceOf(ApplyAction.Create.class);
        ObjectMeta sent = ((ApplyAction.Create) action).object().metadata();
        assertThat(sent.uid()).isNull();
        assertThat(sent.resourceVersion()).isNull();
        assertThat(sent.creationTimestamp()).isNull();
        assertThat(sent.labels()).containsEntry("app", "web");
    }

    @Test
    void sameSpecLabelsAndAnnotationsIsUnchangedWhateverTheStatusAndServerFields() {
        Pod current = new Pod(null, null, stored(Map.of("app", "web"), Map.of()), PodSpec.on("node-1", "blue"),
                new PodStatus("Allocated", List.of(new PodStatus.PodAddress("blue", "eth0", "10.10.0.7", 16, "10.10.0.1")), null));

        assertThat(ApplyDecision.decide(desired, Optional.of(current))).isInstanceOf(ApplyAction.Unchanged.class);
    }

    @Test
    void aPodPlacedByTheServerIsUnchangedWhenItsManifestNamesNoNode() {
        Pod unplaced = Pod.of(meta(Map.of("app", "web"), Map.of()), new PodSpec(null, null, List.of("blue"), List.of(), List.of()));
        Pod placed = Pod.of(stored(Map.of("app", "web"), Map.of()), PodSpec.on("node-2", "blue"));

        assertThat(ApplyDecision.decide(unplaced, Optional.of(placed))).isInstanceOf(ApplyAction.Unchanged.class);
    }

    @Test
    void aPodPlacedByTheServerKeepsItsNodeWhenOtherFieldsChange() {
        Pod unplaced = Pod.of(meta(Map.of("app", "web", "tier", "front"), Map.of()), new PodSpec(null, null, List.of("blue"), List.of(), List.of()));
        Pod placed = Pod.of(stored(Map.of("app", "web"), Map.of()), PodSpec.on("node-2", "blue"));

        ApplyAction action = ApplyDecision.decide(unplaced, Optional.of(placed));

        assertThat(action).isInstanceOf(ApplyAction.Replace.class);
        assertThat(((Pod) ((ApplyAction.Replace) action).object()).spec().node()).isEqualTo("node-2");
    }

    @Test
    void aChangedSpecIsReplacedWithTheServersResourceVersion() {
        Pod current = Pod.of(stored(Map.of("app", "web"), Map.of()), PodSpec.on("node-2", "blue"));

        ApplyAction action = ApplyDecision.decide(desired, Optional.of(current));

        assertThat(action).isInstanceOf(ApplyAction.Replace.class);
        Resource sent = ((ApplyAction.Replace) action).object();
        assertThat(sent.metadata().resourceVersion()).isEqualTo("41");
        assertThat(((Pod) sent).spec().node()).isEqualTo("node-1");
    }

    @Test
    void changedLabelsOrAnnotationsAreReplaced() {
        Pod relabelled = Pod.of(stored(Map.of("app", "db"), Map.of()), desired.spec());
        Pod annotated = Pod.of(stored(Map.of("app", "web"), Map.of("note", "x")), desired.spec());

        assertThat(ApplyDecision.decide(desired, Optional.of(relabelled))).isInstanceOf(ApplyAction.Replace.class);
        assertThat(ApplyDecision.decide(desired, Optional.of(annotated))).isInstanceOf(ApplyAction.Replace.class);
    }

    @Test
    void aFieldRemovedFromTheManifestIsAChange() {
        Network wanted = Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/16"));
        Network withMtu = Network.of(ObjectMeta.named("blue"), new NetworkSpec(List.of("10.10.0.0/16"), null, null, null, null, 9000));

        assertThat(ApplyDecision.sameIntent(wanted, withMtu)).isFalse();
    }

    @Test
    void emptyListsAndMissingFieldsMeanTheSame() {
        Pod withEmptyLists = Pod.of(desired.metadata(), new PodSpec("node-1", null, List.of("blue"), List.of(), List.of()));
        Pod anotherNetwork = Pod.of(desired.metadata(), new PodSpec("node-1", null, List.of("blue", "red"), null, null));

        assertThat(ApplyDecision.sameIntent(desired, withEmptyLists)).isTrue();
        assertThat(ApplyDecision.sameIntent(desired, anotherNetwork)).isFalse();
    }

    @Test
    void theNamespaceNameLabelTheServerAddsIsNotAChange() {
        Namespace wanted = Namespace.of(ObjectMeta.named("shop"), null);
        Namespace current = Namespace.of(new ObjectMeta("shop", null, Map.of(Namespace.NAME_LABEL, "shop"), Map.of(), "u", "3", null), null);
        Namespace relabelled = Namespace.of(new ObjectMeta("shop", null, Map.of(Namespace.NAME_LABEL, "shop", "env", "prod"), Map.of(), "u", "3", null), null);

        assertThat(ApplyDecision.decide(wanted, Optional.of(current))).isInstanceOf(ApplyAction.Unchanged.class);
        assertThat(ApplyDecision.decide(wanted, Optional.of(relabelled))).isInstanceOf(ApplyAction.Replace.class);
    }
}
