package io.onloop.app.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request onloop refuses, with the status and the explanation the caller gets as problem+json.
 * {@code properties} become extra members of the problem (for example {@code pointer}, {@code parameter}).
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final HttpHeaders headers = new HttpHeaders();

    public ApiException(HttpStatus status, String title, String detail) {
        super(detail, null, false, false); // an expected answer, not a bug: no stack trace
        this.status = status;
        this.title = title;
    }

    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid parameter", parameter + ": " + detail)
                .with("parameter", parameter);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail);
    }

    public ApiException with(String property, Object value) {
        properties.put(property, value);
        return this;
    }

    public ApiException header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
