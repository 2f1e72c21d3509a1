package io.onloop.adapters.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/** Turns an SDK failure into a sentence an operator can act on: what was refused, why, and what to grant. */
final class AwsFailures {

    /** Error codes AWS services use for "these credentials may not do this" or "these are not valid credentials". */
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken",
            "ExpiredTokenException", "SignatureDoesNotMatch", "InvalidSignatureException");

    private AwsFailures() {
    }

    /**
     * @param call       what was called, e.g. {@code ec2:DescribeInstances}; also the IAM action to grant
     */
    static String describe(String call, SdkException e) {
        String attempts = e.numAttempts() == null ? "" : " after " + e.numAttempts() + " attempt" + (e.numAttempts() == 1 ? "" : "s");
        if (e instanceof AwsServiceException ase) {
            var details = ase.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "no error code" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? ase.getMessage() : details.errorMessage();
            if (ase.isThrottlingException()) {
                return "AWS kept throttling " + call + " (" + code + ")" + attempts
                        + "; try again later or lower how often onloop reads";
            }
            if (DENIED.contains(code) || ase.statusCode() == 403) {
                return "AWS denied " + call + " (" + code + ": " + message + "); the credentials need the IAM permission "
                        + call;
            }
            return "AWS rejected " + call + " (" + code + ", HTTP " + ase.statusCode() + ": " + message + ")" + attempts;
        }
        return "could not reach AWS for " + call + attempts + ": " + e.getMessage();
    }
}
