package io.onloop.bench;

import io.onloop.adapters.journal.FileEventJournal;
import io.onloop.domain.ingest.EventJournal;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * What checking each record's CRC-32C costs the applier's reads of the journal: reads every record of a journal of
 * {@code records} one-alert records (StoreIngestBench's alerts) as the applier does, then checksums the same payloads
 * alone, in the same run, and prints both and their ratio. Arguments: [records] [rounds].
 */
public final class JournalReadBench {
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("onloop-journal-read");
        UUID source = UUID.randomUUID();
        try (FileEventJournal journal = FileEventJournal.open(dir)) {
            CompletableFuture<?> last = null;
            for (int i = 0; i < records; i++) {
                last = journal.append(List.of(StoreIngestBench.event(i, 5000, source)));
            }
            last.get();
            List<byte[]> payloads = payloads(dir);
            if (payloads.size() != records) {
                throw new IllegalStateException("the records fill more than one 64 MiB segment: ask for fewer");
            }
            long bytes = payloads.stream().mapToLong(p -> p.length).sum();
            System.out.printf("%d records, %.1f MiB of payload%n", payloads.size(), bytes / 1048576.0);
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long read = 0;
                for (long at = 0; at < journal.end(); ) {
                    List<EventJournal.Record> batch = journal.read(at, 2000);
                    read += batch.size();
                    at = batch.getLast().next();
                }
                long readNanos = System.nanoTime() - t0;
                t0 = System.nanoTime();
                long sink = 0;
                for (byte[] p : payloads) {
                    CRC32C crc = new CRC32C();
                    crc.update(p);
                    sink += crc.getValue();
                }
                long crcNanos = System.nanoTime() - t0;
                System.out.printf("round %d: read %d records in %.0f ms (%.0f records/s); their CRC-32C alone %.1f ms"
                                + " = %.2f%% of the read (%d)%n", round, read, readNanos / 1e6, read / (readNanos / 1e9),
                        crcNanos / 1e6, 100.0 * crcNanos / readNanos, sink & 1);
            }
        }
    }

    /** The payloads of the journal's one segment, walked by their headers. */
    private static List<byte[]> payloads(Path dir) throws Exception {
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".journal")).sorted().findFirst().orElseThrow();
        }
        List<byte[]> out = new java.util.ArrayList<>();
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer all = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size());
            while (all.remaining() >= 8) {
                int length = all.getInt();
                all.getInt();
                if (length <= 0) {
                    break; // the zeros written ahead
                }
                byte[] p = new byte[length];
                all.get(p);
                out.add(p);
            }
        }
        return out;
    }
}
