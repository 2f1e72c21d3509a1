package io.onloop.app.security;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;

/**
 * Tomcat's own error pages, for what it refuses before onloop sees the request (an encoded slash or backslash in the
 * path, a lone {@code %}): as {@link BadRequests} answers, instead of Tomcat's HTML page naming the server. Set as the
 * host's error report valve (SecurityConfig); Tomcat creates it by its class name.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.resetBuffer();
            if (request.getRequestURI() == null) {
                // Tomcat could not read the request line (longer than the header limit, or not HTTP): nothing says
                // whether a browser or an API client sent it, and API clients (long filter URLs) are the likely ones
                BadRequests.write((String) null, response, status, reason(status), "the request line (method, path and "
                        + "query) is too long or not valid HTTP; the request line and headers may take at most "
                        + request.getConnector().getProperty("maxHttpRequestHeaderSize") + " bytes");
                return;
            }
            BadRequests.write(request, response, status, reason(status),
                    status == 400 ? "the request's path or headers are not valid here" : "the server could not answer this request");
        } catch (IOException | IllegalStateException e) {
            // the client went away or the response was committed: nothing more to tell it
        }
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
