package io.onloop.adapters.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The index key of one event label: the first 8 bytes of SHA-256 over tenant, name and value. One
 * fixed-width key per label makes the label index a (long, uuid) B-tree, much cheaper to insert into
 * than one keyed by three strings (about a third of storing an event; docs/benchmarks.md). A key only
 * narrows: queries confirm the label on the row itself ({@link #jsonFragment}), so a collision can
 * never return a wrong event.
 */
final class LabelKeys {

    private LabelKeys() {
    }

    static long key(String tenantId, String name, String value) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (String part : new String[]{tenantId, Sql.text(name), Sql.text(value)}) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0); // separator: ("ab","c") and ("a","bc") differ
        }
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /**
     * {@code "name":"value"} exactly as it appears in the row's labels_json (compact JSON, the same
     * escaping). Inside JSON text, a quote in a key or value is always escaped, so this fragment only
     * occurs where the label really is.
     */
    static String jsonFragment(String name, String value) {
        String object = Sql.labelsJson(Map.of(name, value));
        return object.substring(1, object.length() - 1);
    }
}
