package io.onloop.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credentials onloop hands out. Tokens are 32 random bytes (base64url) behind a prefix that says
 * what they are ({@code olt_} API token, {@code ols_} ingest source); only their SHA-256 is stored.
 * A plain hash suffices for tokens (unlike passwords): they carry 256 bits of entropy.
 */
public final class Secrets {
    public static final String API_TOKEN_PREFIX = "olt_";
    public static final String SOURCE_TOKEN_PREFIX = "ols_";
    /** The longest password a user may have: Argon2's cost grows with its input, and nobody needs a longer one. */
    public static final int MAX_PASSWORD = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newToken(String prefix) {
        return prefix + random(32);
    }

    /** A password for the first admin: 18 random bytes, 24 characters. */
    public static String newPassword() {
        return random(18);
    }

    public static String sha256Hex(String token) {
        return sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the parts, one after the other, in hex. */
    public static String sha256Hex(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
