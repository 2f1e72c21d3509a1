package io.onloop.domain.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BidiControlsTest {
    @Test
    void controlsAndInvisibleCharactersAreShownByNameEverywhereTextIsRead() {
        String tag = new String(Character.toChars(0xE0041));
        assertThat(BidiControls.shownIn("rm -rf /tmp/\u202Egnp.exe\u202C pay\u200Bments \u00ADx " + tag + " \u200F"))
                .isEqualTo("rm -rf /tmp/[U+202E]gnp.exe[U+202C] pay[U+200B]ments [U+00AD]x [U+E0041] [U+200F]");
        // right-to-left text itself, emoji and ordinary text are left as they are
        String plain = "שלום עולם مرحبا 😀 disk 97% full";
        assertThat(BidiControls.shownIn(plain)).isSameAs(plain);
        assertThat(BidiControls.shownIn(null)).isNull();
    }
}
