package io.onloop.adapters.journal;

import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventJournal;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The ingest journal as append-only segment files in one directory.
 *
 * <p>A record is {@code [int length][int CRC32C of payload][payload]}, the payload being the
 * request's events as JSON. Callers encode on their own threads; one writer thread appends
 * whatever is waiting with a single write and a single {@code fsync}, then completes every
 * waiting future (group commit). A segment is named by the position of its first byte and is
 * closed at {@code segmentBytes}; segments wholly before the applied position are deleted.
 * On open, an unreadable tail (a torn record from a crash mid-write, or damage) is cut off and its bytes kept in
 * {@code quarantine/<position>.unreadable}: nothing tells a torn write, never acknowledged, from a damaged record.
 *
 * <p>The writer keeps 4 MiB of zeros written ahead of the last record, as PostgreSQL does with its WAL
 * segments: on ext4 (measured) or XFS an {@code fdatasync} of a file whose size did not change flushes the
 * data without a metadata commit. Under the ingest benchmark's load that took a third to two fifths off the
 * writer's CPU per fsync and its median fsync from 0.74 to 0.48 ms (docs/benchmarks.md, session 17); the price
 * is that every journal byte is written twice, as a zero and then as a record. A zero length ends the records,
 * so the zeros read as the end of the journal.
 *
 * <p>Written by hand because what it needs — append, fsync per group, read back in order,
 * truncate — is a hundred lines over {@link FileChannel}, while the libraries that do it
 * (Chronicle Queue, BookKeeper) bring memory-mapping or a cluster the one-process default does not want.
 */
public final class FileEventJournal implements EventJournal {
    private static final Logger LOG = Logger.getLogger(FileEventJournal.class.getName());
    private static final String SUFFIX = ".journal";
    private static final int HEADER = 8;
    static final int MAX_RECORD = 64 << 20;
    private static final int MAX_GROUP_BYTES = 8 << 20;
    /** How far ahead of the last record the active segment holds zeros. */
    static final int PREALLOCATE = 4 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();
    private static final TypeReference<List<Event>> EVENTS = new TypeReference<>() {
    };

    private record Pending(byte[] record, CompletableFuture<Long> done) {
    }

    private final Path dir;
    /** Held while open: a second onloop on the same journal would write over this one's records. */
    private final FileChannel lockFile;
    private final String id;
    private final long segmentBytes;
    /** An event is journaled as received: it has no repeats yet, so those two fields are left out. */
    private final JsonMapper json = JsonMapper.builder().addMixIn(Event.class, AsReceived.class)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES) // the left-out count reads as 0
            .build();

    @JsonIgnoreProperties({"repeats", "lastSeenAt"})
    private interface AsReceived {
    }
    /**
     * What was read as no events already (damaged, missing or undecodable bytes, set aside): where it ends, by where it
     * starts. Read again (the store was down, so the applier reads the same records until it is back), it is skipped
     * without another copy and another log line.
     */
    private final NavigableMap<Long, Long> skipped = new ConcurrentSkipListMap<>();
    /** Segment files by the position of their first byte. */
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final Thread writer;
    private FileChannel active;
    /** Bytes of the active segment written so far, records and the zeros ahead of them; writer thread only. */
    private long allocated;
    /** Written by the writer thread (roll), read by the applier (release). */
    private volatile long activeBase;
    private volatile long end;
    private volatile boolean open = true;
    private volatile boolean appended;
    private volatile IOException broken;

    private FileEventJournal(Path dir, long segmentBytes) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        this.lockFile = lock(dir);
        try {
            this.id = readOrCreateId(dir.resolve("journal-id"));
            try (var files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                        .forEach(p -> segments.put(base(p), p));
            }
            if (segments.isEmpty()) {
                segments.put(0L, segmentPath(0));
            }
            activeBase = segments.lastKey();
            active = FileChannel.open(segments.lastEntry().getValue(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long valid = validLength(active, segments.lastEntry().getValue());
            if (valid < active.size()) {
                long written = endOfNonZeros(active, valid);
                if (written > valid) {
                    // Usually a write a crash cut short, never acknowledged; but it may be the last acknowledged record,
                    // damaged on the disk: its bytes are kept, never dropped unseen.
                    Path kept = keep(activeBase + valid, "unreadable", copyOf(active, valid, written));
                    LOG.warning("journal segment " + segments.lastEntry().getValue() + ": cutting an unreadable record"
                            + " at byte " + valid + ", a write a crash cut short (never acknowledged) or a record damaged"
                            + " on the disk; its bytes are in " + kept);
                }
                active.truncate(valid); // the zeros ahead are written again with the next record
                active.force(true);
            }
            active.position(valid);
            allocated = valid;
            end = activeBase + valid;
        } catch (IOException | RuntimeException e) {
            if (active != null) {
                active.close();
            }
            lockFile.close();
            throw e;
        }
        writer = Thread.ofPlatform().name("onloop-journal-writer").daemon().start(this::writeLoop);
    }

    /**
     * Locks the journal's directory for this process, or refuses: two onloops on one data directory (easy with
     * PostgreSQL, where the database does not lock anything on the disk) interleaved their records, and most of what
     * both acknowledged was never stored.
     */
    private static FileChannel lock(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // this process has it open already
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another onloop is using the ingest journal in " + dir
                    + " (one data directory serves one onloop; give each its own onloop.data-dir)");
        }
        return channel; // closing it releases the lock
    }

    /** Opens (or creates) the journal in {@code dir}. */
    public static FileEventJournal open(Path dir) {
        return open(dir, 64L << 20);
    }

    public static FileEventJournal open(Path dir, long segmentBytes) {
        try {
            return new FileEventJournal(dir, segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ingest journal in " + dir, e);
        }
    }

    private static String readOrCreateId(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = UUID.randomUUID().toString();
        Path tmp = file.resolveSibling("journal-id.tmp");
        Files.writeString(tmp, id, StandardCharsets.US_ASCII);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    private Path segmentPath(long base) {
        return dir.resolve(String.format("%020d%s", base, SUFFIX));
    }

    private static long base(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    /**
     * Where the records of the segment end: after the last intact one. Damage in the middle (an intact record follows
     * it) does not end them: acknowledged records after it stay, and {@link #read} sets the damaged bytes aside when it
     * comes to them. Only what no intact record follows is the end, a torn write or zeros written ahead.
     */
    private static long validLength(FileChannel c, Path segment) throws IOException {
        long size = c.size();
        long at = 0;
        long end = 0;
        while (at + HEADER <= size) {
            byte[] payload = intactPayload(c, at, size);
            if (payload != null) {
                at += HEADER + payload.length;
                end = at;
                continue;
            }
            long next = nextIntact(c, at + 1, size);
            if (next < 0) {
                break;
            }
            // Damage on the disk, or a power cut that wrote a later page of the last group but not an earlier one:
            // then what follows was never acknowledged, and its sender's retry will arrive as a repeat of it.
            LOG.warning("journal segment " + segment + ": bytes " + at + " to " + next + " are damaged (or a write cut"
                    + " short by a power cut); the records after them are kept");
            at = next;
        }
        return end;
    }

    /** The payload of the intact record at {@code at} of the file, or null if there is none (damaged, torn, zeros). */
    private static byte[] intactPayload(FileChannel c, long at, long limit) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (at + HEADER > limit || readFully(c, header, at) < HEADER) {
            return null;
        }
        return payloadIfIntact(c, at, header.getInt(0), header.getInt(4), limit);
    }

    private static byte[] payloadIfIntact(FileChannel c, long at, int length, int crc, long limit) throws IOException {
        if (length <= 0 || length > MAX_RECORD || at + HEADER + length > limit) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        return readFully(c, payload, at + HEADER) == length && crc(payload.array()) == crc ? payload.array() : null;
    }

    /**
     * The first position in {@code [from, limit)} of the file where an intact record starts, or -1. A payload is a JSON
     * array, so a candidate must hold '[' and ']' where its length puts them before its bytes are read and checksummed:
     * in garbage, one position in 64 reads as a length under 64 MiB, and reading each took over a minute per MiB. A
     * false match needs that, and a matching CRC-32C besides; JSON text (bytes 0x00 to 0x04 never occur in it) cannot
     * hold a length, so a match inside an intact record's payload cannot happen.
     */
    private static long nextIntact(FileChannel c, long from, long limit) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(1 << 20);
        ByteBuffer oneByte = ByteBuffer.allocate(1);
        for (long start = from; start + HEADER <= limit; start += window.capacity() - HEADER) {
            window.clear().limit((int) Math.min(window.capacity(), limit - start));
            int n = readFully(c, window, start);
            for (int i = 0; i + HEADER < n; i++) {
                int length = window.getInt(i);
                long at = start + i;
                if (length > 1 && length <= MAX_RECORD && at + HEADER + length <= limit
                        && window.get(i + HEADER) == '[' && byteAt(c, oneByte, at + HEADER + length - 1) == ']'
                        && payloadIfIntact(c, at, length, window.getInt(i + 4), limit) != null) {
                    return at;
                }
            }
        }
        return -1;
    }

    private static int byteAt(FileChannel c, ByteBuffer oneByte, long at) throws IOException {
        oneByte.clear();
        return readFully(c, oneByte, at) == 1 ? oneByte.get(0) : -1;
    }

    /** Reads from {@code at} until the buffer is full or the file ends; the bytes read. */
    private static int readFully(FileChannel c, ByteBuffer into, long at) throws IOException {
        int start = into.position();
        while (into.hasRemaining()) {
            if (c.read(into, at + into.position() - start) < 0) {
                break;
            }
        }
        return into.position() - start;
    }

    /** The position after the last byte from {@code at} on that is not zero; {@code at} if there is none. */
    private static long endOfNonZeros(FileChannel c, long at) throws IOException {
        long end = at;
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        for (long size = c.size(); at < size; ) {
            chunk.clear();
            int n = c.read(chunk, at);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (chunk.get(i) != 0) {
                    end = at + i + 1;
                }
            }
            at += n;
        }
        return end;
    }

    /** Writes what is kept aside into the file it is kept in. */
    @FunctionalInterface
    private interface Contents {
        void writeTo(FileChannel out) throws IOException;
    }

    /** Bytes {@code [from, to)} of a segment file (fewer if it is shorter). */
    private static Contents copyOf(FileChannel segment, long from, long to) {
        return out -> {
            for (long at = from, n; at < to; at += n) {
                if ((n = segment.transferTo(at, to - at, out)) <= 0) {
                    break; // the file is shorter than it should be
                }
            }
        };
    }

    private static Contents bytes(byte[] bytes) {
        return out -> {
            for (ByteBuffer b = ByteBuffer.wrap(bytes); b.hasRemaining(); ) {
                out.write(b);
            }
        };
    }

    /**
     * Keeps bytes the journal cannot apply in {@code quarantine/<position>.<kind>} (or {@code .<kind>.1}, {@code .2},
     * ... if that holds other bytes: nothing kept is written over, and the same bytes are not kept twice); returns the
     * file. A copy that fails is logged: what it would have kept is lost either way, and the journal must go on.
     */
    private Path keep(long position, String kind, Contents contents) {
        Path quarantine = dir.resolve("quarantine");
        String name = String.format("%020d.%s", position, kind);
        Path file = quarantine.resolve(name);
        try {
            Files.createDirectories(quarantine);
            Path tmp = Files.createTempFile(quarantine, name, ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                contents.writeTo(out);
                out.force(true);
            }
            for (int i = 1; ; i++) {
                if (Files.exists(file) && Files.mismatch(file, tmp) == -1) {
                    Files.delete(tmp);
                    return file;
                }
                try {
                    Files.move(tmp, file); // fails rather than replace what is there
                    return file;
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    file = quarantine.resolve(name + "." + i);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "could not keep journal bytes at " + position + " in " + file, e);
        }
        return file;
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<Long> append(List<Event> events) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(events);
        } catch (JacksonException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (payload.length > MAX_RECORD) {
            return CompletableFuture.failedFuture(new RecordTooLargeException(payload.length, MAX_RECORD));
        }
        byte[] record = ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).putInt(crc(payload))
                .put(payload).array();
        var pending = new Pending(record, new CompletableFuture<>());
        if (!appended) {
            appended = true; // a volatile write once, not on every append
        }
        if (!open || broken != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("journal is closed or failed", broken));
        }
        queue.add(pending);
        return pending.done();
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int bytes = first.record().length;
                Pending next;
                while (bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
                    group.add(next);
                    bytes += next.record().length;
                }
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending> group) {
        if (broken != null) {
            group.forEach(p -> p.done().completeExceptionally(broken));
            return;
        }
        long start = end;
        try {
            ByteBuffer[] buffers = new ByteBuffer[group.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(group.get(i).record());
            }
            long remaining = 0;
            for (ByteBuffer b : buffers) {
                remaining += b.remaining();
            }
            while (remaining > 0) {
                remaining -= active.write(buffers);
            }
            writeZerosAhead(active.position());
            active.force(false);
        } catch (IOException | RuntimeException e) {
            fail(group, start, e);
            return;
        }
        long at = start;
        long[] ends = new long[group.size()];
        for (int i = 0; i < ends.length; i++) {
            at += group.get(i).record().length;
            ends[i] = at;
        }
        lock.lock();
        try {
            end = at;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < ends.length; i++) {
            group.get(i).done().complete(ends[i]);
        }
        if (end - activeBase >= segmentBytes) {
            roll();
        }
    }

    /**
     * Keeps {@link #PREALLOCATE} bytes of zeros after the last record (not beyond the segment's size), topped up
     * when half are used and written before the group's fsync, so that the fsyncs until the next top-up find the
     * file's size unchanged.
     */
    private void writeZerosAhead(long written) throws IOException {
        if (written <= allocated - PREALLOCATE / 2) {
            return;
        }
        long to = Math.min(written + PREALLOCATE, segmentBytes);
        for (long at = Math.max(allocated, written); at < to; ) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), to - at));
            at += active.write(zeros, at);
        }
        allocated = Math.max(to, written);
    }

    /** A failed write: nobody in the group was acknowledged, so cut back to the last durable byte. */
    private void fail(List<Pending> group, long start, Exception e) {
        LOG.log(Level.SEVERE, "journal write failed", e);
        group.forEach(p -> p.done().completeExceptionally(e));
        try {
            active.truncate(start - activeBase);
            active.position(start - activeBase);
            allocated = start - activeBase;
        } catch (IOException again) {
            broken = again; // cannot get back to a clean end: refuse everything rather than corrupt the journal
            LOG.log(Level.SEVERE, "journal cannot recover from a failed write; ingest is refused until restart", again);
        }
    }

    private void roll() {
        Path path = segmentPath(end);
        FileChannel next;
        try {
            next = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not start a new journal segment; continuing in the current one", e);
            return;
        }
        try {
            forceDirectory(); // the new file's name is durable
        } catch (IOException e) {
            // Left in place, the empty file would be taken for the active segment on restart, hiding what is
            // written to the current one after its base: remove it durably, or stop taking appends.
            try {
                next.close();
            } catch (IOException ignored) {
                // it was never written to
            }
            try {
                Files.delete(path);
                forceDirectory();
                LOG.log(Level.WARNING, "could not start a new journal segment; continuing in the current one", e);
            } catch (IOException again) {
                again.addSuppressed(e);
                broken = again;
                LOG.log(Level.SEVERE, "journal could not undo a segment it failed to make durable; ingest is refused"
                        + " until restart", again);
            }
            return;
        }
        switchTo(end, path, next);
    }

    /** Appends go to {@code next}, a new, durably named, empty segment starting at {@code base}. */
    private void switchTo(long base, Path path, FileChannel next) {
        segments.put(base, path);
        FileChannel old = active;
        active = next;
        allocated = 0;
        activeBase = base;
        try {
            old.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing a finished journal segment", e);
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public long end() {
        return end;
    }

    /** Starts a new, empty segment at {@code position}: the positions in between were applied and are gone. */
    @Override
    public void skipTo(long position) {
        if (position <= end) {
            return;
        }
        if (appended) {
            throw new IllegalStateException("the journal can skip ahead only before its first append");
        }
        Path path = segmentPath(position);
        try {
            FileChannel next = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                forceDirectory();
            } catch (IOException e) {
                next.close();
                throw e;
            }
            switchTo(position, path, next);
            end = position;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ingest journal anew at " + position, e);
        }
    }

    @Override
    public List<Record> read(long from, int maxEvents) {
        List<Record> out = new ArrayList<>();
        long limit = end;
        int events = 0;
        long at = from;
        try {
            while (at < limit) {
                Map.Entry<Long, Path> segment = segments.floorEntry(at);
                if (segment == null) {
                    // Before every segment, yet not applied (the applier reads nothing it has): its file is gone.
                    long first = segments.firstKey();
                    if (skipped.putIfAbsent(at, first) == null) {
                        LOG.severe("journal bytes " + at + " to " + first + " are missing (their segment file is gone):"
                                + " the events they held cannot be stored; storing goes on from " + first);
                    }
                    out.add(new Record(at, first, List.of()));
                    at = first;
                    continue;
                }
                try (FileChannel c = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
                    long base = segment.getKey();
                    Long nextBase = segments.higherKey(base);
                    long segmentEnd = nextBase == null ? limit : Math.min(limit, nextBase);
                    while (at < segmentEnd) {
                        byte[] payload = intactPayload(c, at - base, segmentEnd - base);
                        Record record = payload != null ? decoded(at, payload) : damaged(c, base, at, segmentEnd);
                        if (!out.isEmpty() && events + record.events().size() > maxEvents) {
                            return out;
                        }
                        out.add(record);
                        events += record.events().size();
                        at = record.next();
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ingest journal at " + at, e);
        }
    }

    /**
     * Bytes at {@code at} that are no intact record (their checksum or length is wrong: damage on the disk) are set
     * aside up to the next intact record, or the segment's end, and read as no events; the applier goes on after them
     * instead of failing on them for ever, or storing what they have become.
     */
    private Record damaged(FileChannel c, long base, long at, long segmentEnd) throws IOException {
        Long known = skipped.get(at);
        if (known != null) {
            return new Record(at, known, List.of());
        }
        long next = nextIntact(c, at - base + 1, Math.min(segmentEnd - base, c.size()));
        long to = next < 0 ? segmentEnd : base + next;
        Path kept = keep(at, "damaged", copyOf(c, at - base, Math.min(to - base, c.size())));
        LOG.severe("journal bytes " + at + " to " + to + " are damaged (no intact record there): the events they held"
                + " cannot be stored; the bytes are in " + kept + " and skipped");
        skipped.put(at, to);
        return new Record(at, to, List.of());
    }

    /**
     * A whole record (its checksum holds) that no longer decodes, e.g. written by a version whose event
     * model this one cannot read, is set aside byte for byte and read as no events: the applier moves
     * past it instead of retrying it for ever while everything behind it waits.
     */
    private Record decoded(long position, byte[] payload) {
        long next = position + HEADER + payload.length;
        if (skipped.containsKey(position)) { // known not to decode: not parsed again each time the applier re-reads it
            return new Record(position, next, List.of());
        }
        try {
            return new Record(position, next, json.readValue(payload, EVENTS));
        } catch (JacksonException e) {
            if (skipped.putIfAbsent(position, next) == null) {
                Path file = keep(position, "undecodable", bytes(payload));
                // names the failure only: the message would quote alert text
                LOG.severe("journal record at " + position + " does not decode (" + e.getClass().getSimpleName()
                        + "); its bytes are in " + file + " and it is skipped");
            }
            return new Record(position, next, List.of());
        }
    }

    @Override
    public void awaitBeyond(long position, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (end <= position && nanos > 0) {
                nanos = grown.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(long position) {
        skipped.headMap(position).clear(); // never read again
        // a segment can go when the next one starts at or before the applied position
        for (Map.Entry<Long, Path> s : segments.headMap(activeBase, false).entrySet()) {
            Long nextBase = segments.higherKey(s.getKey());
            if (nextBase != null && nextBase <= position) {
                try {
                    Files.deleteIfExists(s.getValue());
                    segments.remove(s.getKey());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not delete applied journal segment " + s.getValue(), e);
                    return;
                }
            }
        }
    }

    @Override
    public void quarantine(Record record, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("position", record.position());
        body.put("reason", reason);
        body.put("events", record.events());
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JacksonException e) {
            // the record stays in its segment until that is released; say so loudly
            LOG.log(Level.SEVERE, "could not write quarantined journal record " + record.position(), e);
            return;
        }
        keep(record.position(), "json", bytes(bytes));
    }

    /** Stops taking appends, writes what is queued, and closes the files. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            // appends that raced with close() were never written: say so rather than leave them waiting
            for (Pending p; (p = queue.poll()) != null; ) {
                p.done().completeExceptionally(new IllegalStateException("journal is closed"));
            }
            active.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the journal", e);
        } finally {
            try {
                lockFile.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "releasing the journal's lock", e);
            }
        }
    }
}
