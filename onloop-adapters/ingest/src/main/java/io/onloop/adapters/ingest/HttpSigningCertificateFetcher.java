package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.SignatureRejectedException;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Fetches SNS signing certificates over HTTPS: short timeouts, no redirects, a size cap, and only a
 * certificate that is currently valid and chains (PKIX, with any intermediates the PEM carries) to
 * the trust store. Certificates are cached by URL; a cached one is re-checked for validity on use.
 */
public final class HttpSigningCertificateFetcher implements SigningCertificateFetcher {
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_CACHED = 64;

    private final HttpClient http;
    private final Set<TrustAnchor> anchors;
    private final Map<URI, X509Certificate> cache = new ConcurrentHashMap<>();

    /** Trusts what the JDK trusts. */
    public HttpSigningCertificateFetcher() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build(), jdkTrustAnchors());
    }

    HttpSigningCertificateFetcher(HttpClient http, Set<TrustAnchor> anchors) {
        this.http = http;
        this.anchors = Set.copyOf(anchors);
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
            throw new SignatureRejectedException("could not fetch the signing certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignatureRejectedException("interrupted while fetching the signing certificate", e);
        }
    }

    /** Parses the PEM (leaf first, then any intermediates) and checks validity and the chain. */
    X509Certificate validate(byte[] pem) throws SignatureRejectedException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureRejectedException("signing certificate is not a valid X.509 certificate", e);
        }
        if (chain.isEmpty()) {
            throw new SignatureRejectedException("signing certificate URL held no certificate");
        }
        X509Certificate leaf = chain.getFirst();
        checkValidity(leaf);
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false); // no OCSP/CRL round trips on the ingest path
            var path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (GeneralSecurityException e) {
            throw new SignatureRejectedException("signing certificate does not chain to a trusted root: " + e.getMessage(), e);
        }
        return leaf;
    }

    private static void checkValidity(X509Certificate cert) throws SignatureRejectedException {
        try {
            cert.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new SignatureRejectedException("signing certificate is expired or not yet valid", e);
        }
    }

    static Set<TrustAnchor> jdkTrustAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return java.util.Arrays.stream(x509.getAcceptedIssuers())
                            .map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
                }
            }
            throw new IllegalStateException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK trust store", e);
        }
    }
}
