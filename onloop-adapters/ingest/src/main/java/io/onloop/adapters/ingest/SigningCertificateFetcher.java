package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.SignatureRejectedException;

import java.net.URI;
import java.security.cert.X509Certificate;

/**
 * Gets the certificate an SNS message was signed with. {@link SnsParser} calls it only with a URL
 * it has already checked (https, an {@code sns.<region>.amazonaws.com} host, default port).
 */
public interface SigningCertificateFetcher {

    /** @throws SignatureRejectedException if the certificate cannot be fetched or is not trustworthy */
    X509Certificate fetch(URI url) throws SignatureRejectedException;
}
