package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.SignatureRejectedException;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches SNS signing certificates over HTTPS: short timeouts, no redirects, a size cap.
 * Authenticity comes from TLS: the caller only passes {@code https://sns.<region>.amazonaws.com}
 * URLs, and the JDK's HTTP client verifies that host's server certificate against the JDK trust
 * store. The PEM itself holds only the leaf (AWS does not ship its intermediate there), so, like
 * AWS's own SDK, we check that the leaf is currently valid and issued to {@code sns.amazonaws.com}
 * rather than building a chain. Certificates are cached by URL and re-checked for validity on use.
 */
public final class HttpSigningCertificateFetcher implements SigningCertificateFetcher {
    static final String SNS_COMMON_NAME = "sns.amazonaws.com";
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_CACHED = 64;

    private final HttpClient http;
    private final Map<URI, X509Certificate> cache = new ConcurrentHashMap<>();

    public HttpSigningCertificateFetcher() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    HttpSigningCertificateFetcher(HttpClient http) {
        this.http = http;
    }
    @Override
    public X509Certificate fetch(URI url) throws SignatureRejectedException {
        X509Certificate cached = cache.get(url);
        if (cached != null) {
            checkValidity(cached);
            return cached;
        }
        X509Certificate cert = validate(download(url));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(url, cert);
        return cert;
    }

    private byte[] download(URI url) throws SignatureRejectedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new SignatureRejectedException("signing certificate URL answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new SignatureRejectedException("signing certificate is larger than " + MAX_BYTES + " bytes");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new SignatureRejectedException("could not fetch the signing certificate from " + url.getHost() + ": "
                    + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignatureRejectedException("interrupted while fetching the signing certificate", e);
        }
    }

    /**
     * What went wrong, for the operator: the HTTP client's connection errors often have no message of their own
     * (an unresolvable host is a ConnectException without one, caused by an UnresolvedAddressException).
     */
    static String reason(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 300; t = t.getCause()) {
            out.append(out.isEmpty() ? "" : ", caused by ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(" (").append(t.getMessage(), 0, Math.min(t.getMessage().length(), 200)).append(')');
            }
        }
        return out.toString();
    }

    /** Parses the PEM's first certificate and checks its validity period and subject. */
    X509Certificate validate(byte[] pem) throws SignatureRejectedException {
        X509Certificate leaf;
        try {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureRejectedException("signing certificate is not a valid X.509 certificate", e);
        }
        checkValidity(leaf);
        String cn = commonName(leaf);
        if (!SNS_COMMON_NAME.equals(cn)) {
            throw new SignatureRejectedException("signing certificate is issued to '" + cn + "', not " + SNS_COMMON_NAME);
        }
        return leaf;
    }

    private static String commonName(X509Certificate cert) throws SignatureRejectedException {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return "";
        } catch (InvalidNameException e) {
            throw new SignatureRejectedException("signing certificate has an unreadable subject", e);
        }
    }

    private static void checkValidity(X509Certificate cert) throws SignatureRejectedException {
        try {
            cert.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new SignatureRejectedException("signing certificate is expired or not yet valid", e);
        }
    }
}
