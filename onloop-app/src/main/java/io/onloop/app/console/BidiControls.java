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

import static io.onloop.domain.text.BidiControls.isShown;
import static io.onloop.domain.text.BidiControls.shown;

/**
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown in the console
 * as what they are, {@code [U+202E]}, never obeyed: obeyed, alert text reorders what it is shown in, so that
 * {@code kubectl -n 'prod<U+202E>; rm -rf ~ #'} reads backwards, and a command reads otherwise than what is copied
 * and run ("Trojan Source", CVE-2021-42574). onloop's own pages contain none of them, so every one in a page came
 * from data: the rendered text is filtered on its way out, once, for every page and fragment, rather than at each
 * of the many places templates print alert text. Right-to-left text itself needs none of them and is unchanged.
 * <p>
 * So are the characters that change nothing visible but what is copied or matched: the directional marks (LRM U+200E,
 * RLM U+200F, ALM U+061C), which move neutral characters such as {@code ;} and {@code -} across a right-to-left word;
 * zero-width spaces and joiners (U+200B-U+200D, U+2060, U+FEFF), the soft hyphen (U+00AD) and the Hangul fillers
 * (U+115F, U+1160, U+3164), which make two different commands or names look alike; and the tag characters
 * (U+E0000-U+E007F), which carry whole hidden sentences.
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

    /**
     * Writes through, each such character replaced by its name; holds back nothing but a high surrogate that ends a
     * write (its low half, in the next, says whether the pair is a tag character), so flushing is the writer's below.
     */
    static final class Shown extends FilterWriter {
        private char pendingHigh;

        Shown(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            writeShown(String.valueOf((char) c), 0, 1);
        }

        @Override
        public void write(char[] text, int off, int len) throws IOException {
            writeShown(CharBuffer.wrap(text), off, len);
        }

        @Override
        public void write(String text, int off, int len) throws IOException {
            writeShown(text, off, len);
        }

        @Override
        public void flush() throws IOException {
            writePending();
            super.flush();
        }

        @Override
        public void close() throws IOException {
            writePending();
            super.close();
        }

        private void writePending() throws IOException {
            if (pendingHigh != 0) {
                out.write(pendingHigh);
                pendingHigh = 0;
            }
        }

        private void writeShown(CharSequence text, int off, int len) throws IOException {
            int end = off + len;
            int i = off;
            if (pendingHigh != 0 && len > 0) {
                char high = pendingHigh;
                pendingHigh = 0;
                if (Character.isLowSurrogate(text.charAt(off)) && isShown(Character.toCodePoint(high, text.charAt(off)))) {
                    out.write(shown(Character.toCodePoint(high, text.charAt(off))));
                    i++;
                } else {
                    out.write(high);
                }
            }
            int from = i;
            while (i < end) {
                char ch = text.charAt(i);
                if (Character.isHighSurrogate(ch) && i + 1 == end) {
                    out.append(text, from, i);
                    pendingHigh = ch;
                    return;
                }
                boolean pair = Character.isHighSurrogate(ch) && Character.isLowSurrogate(text.charAt(i + 1));
                int c = pair ? Character.toCodePoint(ch, text.charAt(i + 1)) : ch;
                int width = pair ? 2 : 1;
                if (isShown(c)) {
                    out.append(text, from, i).write(shown(c));
                    from = i + width;
                }
                i += width;
            }
            out.append(text, from, end);
        }
    }
}
