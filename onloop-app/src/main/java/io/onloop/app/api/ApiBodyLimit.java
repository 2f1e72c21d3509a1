package io.onloop.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Every API request body is read only up to {@link #MAX_BYTES} (4 MiB): Spring reads a {@code String} or JSON body
 * whole before a controller can look at its size, so a responder's 150 MB runbook edit, sent six times at once, ran
 * the server out of memory. Each endpoint's own, smaller limits (a comment, a runbook edit, a route file, a 1 MiB
 * manifest with its JSON escapes) stay what they are and are said precisely; this one bounds what is read to find
 * out. Beyond it the read fails with {@link TooLarge}, which {@link ProblemAdvice} answers with 413. The ingest
 * endpoints have their own, streaming limit ({@code onloop.ingest.max-body-bytes}).
 */
@Configuration(proxyBeanMethods = false)
class ApiBodyLimit {
    static final int MAX_BYTES = 4 << 20;

    /** A request body over the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("the request body is over " + max + " bytes");
        }
    }

    @Bean
    FilterRegistrationBean<Limited> apiBodiesBounded() {
        var registration = new FilterRegistrationBean<>(new Limited(MAX_BYTES));
        registration.addUrlPatterns("/api/v1/*");
        return registration;
    }

    static final class Limited extends OncePerRequestFilter {
        private final long max;

        Limited(long max) {
            this.max = max;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return request.getRequestURI().startsWith("/api/v1/ingest/");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                private ServletInputStream in;

                @Override
                public ServletInputStream getInputStream() throws IOException {
                    if (getContentLengthLong() > max) {
                        throw new TooLarge(max); // said before anything is read
                    }
                    if (in == null) {
                        in = new Bounded(super.getInputStream(), max);
                    }
                    return in;
                }

                @Override
                public BufferedReader getReader() throws IOException {
                    Charset charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8
                            : Charset.forName(getCharacterEncoding());
                    return new BufferedReader(new InputStreamReader(getInputStream(), charset));
                }
            }, response);
        }
    }

    /** Counts what is read and fails once it is more than the limit. */
    private static final class Bounded extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Bounded(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
