package io.onloop.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StoreFileSizeTest {

    @Test
    void theFileBehindAnEmbeddedH2UrlAndNoneForAnotherDatabase() {
        assertThat(CoreConfig.h2File("jdbc:h2:file:./data/onloop;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000"))
                .contains(Path.of("./data/onloop.mv.db"));
        assertThat(CoreConfig.h2File("jdbc:h2:file:/var/lib/onloop/onloop")).contains(Path.of("/var/lib/onloop/onloop.mv.db"));
        assertThat(CoreConfig.h2File("jdbc:h2:file:~/onloop;WRITE_DELAY=500"))
                .contains(Path.of(System.getProperty("user.home") + "/onloop.mv.db"));
        assertThat(CoreConfig.h2File("jdbc:h2:mem:test")).isEmpty();
        assertThat(CoreConfig.h2File("jdbc:postgresql://db:5432/onloop")).isEmpty();
        assertThat(CoreConfig.h2File("")).isEmpty();
    }
}
