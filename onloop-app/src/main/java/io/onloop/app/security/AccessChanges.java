package io.onloop.app.security;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Changes to users, tokens and sources that check the others before they write (a name taken in another case, the
 * last admin) are made one at a time, so two requests at once cannot both pass the check. They are rare and quick;
 * the lock is this server's, as onloop runs as one server on its database.
 */
public final class AccessChanges {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private AccessChanges() {
    }

    public static <T> T oneAtATime(Supplier<T> checkThenWrite) {
        LOCK.lock();
        try {
            return checkThenWrite.get();
        } finally {
            LOCK.unlock();
        }
    }
}
