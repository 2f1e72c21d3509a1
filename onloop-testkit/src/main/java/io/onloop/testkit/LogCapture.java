package io.onloop.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What one class logs (java.util.logging) while open: for tests of what an operator reads in the log. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Class<?> logging) {
        logger = Logger.getLogger(logging.getName());
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code logging}'s logger (named after the class) logs. */
    public static LogCapture of(Class<?> logging) {
        return new LogCapture(logging);
    }

    /** Everything logged so far, oldest first; a live view, safe to read while the code under test logs. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
