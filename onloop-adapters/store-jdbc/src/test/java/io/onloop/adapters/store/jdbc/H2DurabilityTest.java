package io.onloop.adapters.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.store.NotDurableException;
import org.awaitility.core.ConditionFactory;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A write through the stores is on the disk when the call returns, not only in the page cache:
 * the database file runs through a file system that counts the bytes H2 wrote since it last
 * forced the file ({@code FileChannel.force}, i.e. fsync).
 */
class H2DurabilityTest {

    /** Polls often: one wait is for a slowed write that lasts only half a second. */
    private static final ConditionFactory WITHIN_5_S = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5));
    /** Bytes written to the database file and not forced since. */
    static final AtomicLong UNFORCED = new AtomicLong();
    static final AtomicLong WRITTEN = new AtomicLong();

    @TempDir
    Path dir;
    HikariDataSource pool;

    @BeforeAll
    static void registerFileSystem() {
        FilePath.register(new ForceCountingPath());
    }

    @BeforeEach
    void open() {
        HikariConfig config = new HikariConfig();
        // H2's default WRITE_DELAY (500 ms), as the application's URL: H2 writes commits in the background
        config.setJdbcUrl("jdbc:h2:forcecount:" + dir.resolve("onloop").toAbsolutePath());
        config.setUsername("sa");
        config.setPassword("");
        pool = new HikariDataSource(config);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aWriteThroughTheStoresIsForcedToDiskBeforeItReturns() {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        assertThat(UNFORCED.get()).as("the migrations are forced too").isZero();

        long before = WRITTEN.get();
        stores.accessStore().createTenant(new Tenant("t-" + UUID.randomUUID(), "Durable", Instant.now()));

        assertThat(WRITTEN.get()).as("the commit wrote to the file").isGreaterThan(before);
        assertThat(UNFORCED.get()).isZero();
    }

    @Test
    void aTransactionOfTheEventStoreIsForcedBeforeItReturns() {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        long before = WRITTEN.get();

        stores.eventStore().inTransaction(tx -> {
            tx.setJournalCheckpoint("journal-" + UUID.randomUUID(), 42);
            return null;
        });

        assertThat(WRITTEN.get()).isGreaterThan(before);
        assertThat(UNFORCED.get()).as("the journal may release what this transaction stored").isZero();
    }

    /** Shows the check above can fail: H2 by itself writes a commit into the page cache and does not force it. */
    @Test
    void h2AloneLeavesACommitUnforced() throws Exception {
        JdbcStores.migrateAndOpen(pool);
        long before = WRITTEN.get();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO journal_checkpoints (journal_id, applied_position) VALUES ('raw', 1)");
        }
        awaitWrittenBeyond(before); // within WRITE_DELAY
        assertThat(UNFORCED.get()).isPositive();
    }

    /**
     * The ingest applier's transactions are forced later, many at once: not on their own (that would write a chunk
     * of H2's file per transaction), but by force(), which puts every earlier commit on the disk.
     */
    @Test
    void aTransactionForcedLaterIsOnTheDiskWhenForceReturns() throws Exception {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        long forcesBefore = ForceCountingFile.FORCES.get();
        long before = WRITTEN.get();

        stores.eventStore().inTransactionForcedLater(tx -> {
            tx.setJournalCheckpoint("later", 42);
            return null;
        });
        assertThat(ForceCountingFile.FORCES.get()).as("not forced on its own").isEqualTo(forcesBefore);
        assertThat(stores.eventStore().journalCheckpoint("later")).as("committed and visible").isEqualTo(42);

        stores.eventStore().force();
        assertThat(WRITTEN.get()).as("written to the file").isGreaterThan(before);
        assertThat(UNFORCED.get()).isZero();
    }

    /**
     * H2's background writer hands a commit to its own save thread and returns; a force must wait for that write, or
     * it fsyncs before the commit is in the file (CHECKPOINT SYNC did not wait). Here the save thread is slow.
     */
    @Test
    void aForceWaitsForAWriteH2sBackgroundWriterAlreadyStarted() throws Exception {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        ForceCountingFile.slowSaves = true;
        try {
            stores.eventStore().inTransactionForcedLater(tx -> {
                tx.setJournalCheckpoint("background", 1);
                return null;
            });
            WITHIN_5_S.until(() -> ForceCountingFile.SAVING.get() > 0);
            assertThat(ForceCountingFile.SAVING.get()).as("H2's save thread is writing the commit").isPositive();

            stores.eventStore().force();
            assertThat(ForceCountingFile.SAVING.get()).as("no write still under way").isZero();
            assertThat(UNFORCED.get()).isZero();
        } finally {
            ForceCountingFile.slowSaves = false;
        }
    }

    @Test
    void aFailedForceIsReportedAsNotDurable() {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        stores.eventStore().inTransactionForcedLater(tx -> {
            tx.setJournalCheckpoint("later", 7);
            return null;
        });
        ForceCountingFile.failing = true;
        try {
            assertThatThrownBy(() -> stores.eventStore().force()).isInstanceOf(NotDurableException.class);
        } finally {
            ForceCountingFile.failing = false;
        }
        stores.eventStore().force();
        assertThat(UNFORCED.get()).isZero();
    }

    private static void awaitWrittenBeyond(long bytes) {
        WITHIN_5_S.until(() -> WRITTEN.get() > bytes);
    }

    @Test
    void aFailedFsyncAfterACommitIsReportedAsSuchNotAsARollback() {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        ForceCountingFile.failing = true;
        try {
            assertThatThrownBy(() -> stores.eventStore().inTransaction(tx -> {
                tx.setJournalCheckpoint("unforced", 7);
                return null;
            })).isInstanceOf(NotDurableException.class);
            assertThatThrownBy(() -> stores.accessStore().createTenant(new Tenant("unforced", "x", Instant.now())))
                    .as("an API write is not answered as if it were safe").isInstanceOf(RuntimeException.class);
        } finally {
            ForceCountingFile.failing = false;
        }
        assertThat(stores.eventStore().journalCheckpoint("unforced")).as("committed all the same").isEqualTo(7);
        assertThat(stores.accessStore().findTenant("unforced")).isPresent();
    }

    @Test
    void readingForcesNothing() throws Exception {
        JdbcStores stores = JdbcStores.migrateAndOpen(pool);
        long forcesBefore = ForceCountingFile.FORCES.get();

        stores.accessStore().tenants();
        stores.eventStore().journalCheckpoint("nothing");

        assertThat(ForceCountingFile.FORCES.get()).isEqualTo(forcesBefore);
    }

    /** "forcecount:" + a path on the disk. Public: H2 makes one per path by reflection. */
    public static final class ForceCountingPath extends FilePathWrapper {
        @Override
        public String getScheme() {
            return "forcecount";
        }

        @Override
        public FileChannel open(String mode) throws IOException {
            FileChannel channel = super.open(mode);
            return name.endsWith(".mv.db") ? new ForceCountingFile(channel) : channel;
        }
    }

    static final class ForceCountingFile extends FileBase {
        static final AtomicLong FORCES = new AtomicLong();
        /** Writes under way on H2's save thread. */
        static final AtomicLong SAVING = new AtomicLong();
        /** Makes H2's save thread take 500 ms per write, so a test can force while one is under way. */
        static volatile boolean slowSaves;
        /** Makes every fsync fail, as a dying disk's would. */
        static volatile boolean failing;
        private final FileChannel channel;

        ForceCountingFile(FileChannel channel) {
            this.channel = channel;
        }

        /** On H2's save thread, with slowSaves: the write takes 500 ms, counted in SAVING meanwhile. */
        private int saving(java.util.concurrent.Callable<Integer> write) throws IOException {
            if (!slowSaves || !Thread.currentThread().getName().startsWith("H2-save")) {
                return counted(call(write));
            }
            SAVING.incrementAndGet();
            try {
                Thread.sleep(500);
                return counted(call(write));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                SAVING.decrementAndGet();
            }
        }

        private static int call(java.util.concurrent.Callable<Integer> write) throws IOException {
            try {
                return write.call();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        private int counted(int bytes) {
            UNFORCED.addAndGet(bytes);
            WRITTEN.addAndGet(bytes);
            return bytes;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return saving(() -> channel.write(src));
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return saving(() -> channel.write(src, position));
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failing) {
                throw new IOException("fsync failed (test)");
            }
            channel.force(metaData);
            FORCES.incrementAndGet();
            UNFORCED.set(0);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
