package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {

    @Test
    void splitsDottedIndexedAndQuotedSegments() {
        assertThat(FieldPath.segments("spec.ports[1].port")).containsExactly("spec", "ports", "1", "port");
        assertThat(FieldPath.segments("metadata.labels[\"example.com/team\"]")).containsExactly("metadata", "labels", "example.com/team");
        assertThat(FieldPath.segments("metadata.labels['a']")).containsExactly("metadata", "labels", "a");
        assertThat(FieldPath.segments("a[\"say \\\"hi\\\"\"]")).containsExactly("a", "say \"hi\"");
        assertThat(FieldPath.segments("")).isEmpty();
    }

    @Test
    void bothSpellingsOfAKeyReachTheSamePointer() {
        assertThat(FieldPath.pointerOf("metadata.labels.app")).isEqualTo("/metadata/labels/app");
        assertThat(FieldPath.pointerOf("metadata.labels[\"app\"]")).isEqualTo("/metadata/labels/app");
        assertThat(FieldPath.pointerOf("metadata.labels[\"a/b~c\"]")).isEqualTo("/metadata/labels/a~1b~0c");
    }

    @Test
    void buildsDisplayPathsAsValidatorsWriteThem() {
        FieldPath path = FieldPath.ROOT.member("spec").member("ports").index(1).member("port");
        assertThat(path).isEqualTo(new FieldPath("spec.ports[1].port", "/spec/ports/1/port"));
        assertThat(FieldPath.ROOT.member("metadata").member("labels").key("app").display()).isEqualTo("metadata.labels[\"app\"]");
        // A field name that is not an identifier cannot be written with a dot.
        assertThat(FieldPath.ROOT.member("metadata").member("a.b").display()).isEqualTo("metadata[\"a.b\"]");
        assertThat(FieldPath.parentPointer("/spec/ports/1")).isEqualTo("/spec/ports");
        assertThat(FieldPath.parentPointer("")).isNull();
    }
}
