package io.drover.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NftWriterTest {

    @Test
    void writesIndentedBlocks() {
        String text = new NftWriter().open("table inet t").open("chain c").line("accept").close().close().toString();

        assertThat(text).isEqualTo("table inet t {\n\tchain c {\n\t\taccept\n\t}\n}\n");
    }

    @Test
    void refusesToRenderAnOpenBlock() {
        NftWriter writer = new NftWriter().open("table inet t");

        assertThatThrownBy(writer::toString).isInstanceOf(IllegalStateException.class).hasMessage("1 block(s) left open");
    }

    @Test
    void quotesNamesAndRefusesWhatNftCannotQuote() {
        assertThat(NftWriter.quote("dr-blue")).isEqualTo("\"dr-blue\"");
        assertThatThrownBy(() -> NftWriter.quote("a\"b")).hasMessage("'a\"b' cannot be written in an nft script: it contains a double quote");
        assertThatThrownBy(() -> NftWriter.quote("a\\b")).hasMessageContaining("a backslash");
        assertThatThrownBy(() -> NftWriter.quote("a\nb")).hasMessageContaining("a control character");
    }

    @Test
    void commentsAreMadeSafeAndCutToNftsLimit() {
        assertThat(NftWriter.comment("pod shop/\"web\"\\1\tü")).isEqualTo("comment \"pod shop/_web__1__\"");
        assertThat(NftWriter.commentText("x".repeat(300))).hasSize(NftWriter.MAX_COMMENT_BYTES);
    }

    @Test
    void elementsRenderKeyCommentAndValueInNftsOrder() {
        assertThat(SetElement.mapping("tcp . 80", "10.0.0.1 . 8080", "pod a/b").render())
                .isEqualTo("tcp . 80 comment \"pod a/b\" : 10.0.0.1 . 8080");
        assertThat(SetElement.of("\"dr-blue\"", null).render()).isEqualTo("\"dr-blue\"");
        assertThat(SetElement.of("\"dr-blue\"", "")).isEqualTo(SetElement.of("\"dr-blue\"", null));
    }
}
