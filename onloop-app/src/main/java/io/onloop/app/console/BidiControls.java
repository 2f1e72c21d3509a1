package io.onloop.app.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.CharBuffer;

import static io.onloop.domain.text.BidiControls.isControl;
import static io.onloop.domain.text.BidiControls.shown;

/**
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown in the console
 * as what they are, {@code [U+202E]}, never obeyed: obeyed, alert text reorders what it is shown in, so that
 * {@code kubectl -n 'prod<U+202E>; rm -rf ~ #'} reads backwards, and a command reads otherwise than what is copied
 * and run ("Trojan Source", CVE-2021-42574). onloop's own pages contain none of them, so every one in a page came
 * from data: the rendered text is filtered on its way out, once, for every page and fragment, rather than at each
 * of the many places templates print alert text. Right-to-left text itself needs none of them and is unchanged.
 */
@Configuration(proxyBeanMethods = false)
class BidiControls {

    @Bean
    FilterRegistrationBean<ShownNotObeyed> bidiControlsShown() {
        var registration = new FilterRegistrationBean<>(new ShownNotObeyed());
        registration.addUrlPatterns("/console/*");
        return registration;
    }

    static final class ShownNotObeyed extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                private PrintWriter writer;

                @Override
                public PrintWriter getWriter() throws IOException {
                    if (writer == null) {
                        writer = new PrintWriter(new Shown(super.getWriter()));
                    }
                    return writer;
                }
            });
        }
    }

    /** Writes through, each control replaced by its name; holds nothing back, so flushing is the writer's below. */
    static final class Shown extends FilterWriter {
        Shown(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            if (isControl(c)) {
                out.write(shown(c));
            } else {
                out.write(c);
            }
        }

        @Override
        public void write(char[] text, int off, int len) throws IOException {
            writeShown(CharBuffer.wrap(text), off, len);
        }

        @Override
        public void write(String text, int off, int len) throws IOException {
            writeShown(text, off, len);
        }

        private void writeShown(CharSequence text, int off, int len) throws IOException {
            int from = off;
            for (int i = off; i < off + len; i++) {
                if (isControl(text.charAt(i))) {
                    out.append(text, from, i).write(shown(text.charAt(i)));
                    from = i + 1;
                }
            }
            out.append(text, from, off + len);
        }
    }
}
