package io.onloop.adapters.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.onloop.domain.delivery.SendResult;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

/** Against GreenMail, a real SMTP server (with AUTH; it offers no STARTTLS). */
class EmailTargetTest {
    private GreenMail mail;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.setUser("onloop@acme.example", "onloop", "pw");
        mail.start();
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    private Map<String, String> settings(boolean starttls) {
        Map<String, String> s = new HashMap<>(Map.of("host", "127.0.0.1",
                "port", Integer.toString(mail.getSmtp().getPort()), "username", "onloop", "password", "pw",
                "from", "onloop@acme.example", "to", "ops@acme.example, oncall@acme.example"));
        s.put("starttls", Boolean.toString(starttls));
        return s;
    }

    @Test
    void sendsPlainAndEscapedHtmlPartsAndThreadsUpdates() throws Exception {
        EmailTarget target = new EmailTarget();
        assertThat(target.send(Notifications.firing(1), settings(false), Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(target.send(Notifications.resolved(2), settings(false), Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        MimeMessage[] got = mail.getReceivedMessages();
        assertThat(got).hasSize(4); // two messages, two recipients each
        MimeMessage first = java.util.Arrays.stream(got).filter(m -> subject(m).startsWith("[CRITICAL]")).findFirst()
                .orElseThrow();
        assertThat(first.getSubject()).startsWith("[CRITICAL]");
        assertThat(first.getMessageID()).isEqualTo("<" + Notifications.THREAD + "@onloop>");
        MimeMultipart alt = (MimeMultipart) first.getContent();
        assertThat(alt.getContentType()).startsWith("multipart/alternative");
        BodyPart text = alt.getBodyPart(0);
        BodyPart html = alt.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain");
        assertThat((String) text.getContent()).contains(Notifications.EVIL_TITLE).contains("df -h")
                .contains(Notifications.SUMMARY_SHOWN).doesNotContain("\u202E");
        assertThat(html.getContentType()).startsWith("text/html");
        String h = (String) html.getContent();
        assertThat(h).doesNotContain("<b>bold</b>").contains("&lt;b&gt;bold&lt;/b&gt;")
                .contains("free space &lt;now&gt;").contains(Notifications.SUMMARY_SHOWN).doesNotContain("\u202E");
        MimeMessage update = java.util.Arrays.stream(got).filter(m -> subject(m).startsWith("Re: ")).findFirst()
                .orElseThrow();
        assertThat(update.getSubject()).startsWith("Re: [RESOLVED]");
        assertThat(update.getHeader("In-Reply-To")[0]).isEqualTo("<" + Notifications.THREAD + "@onloop>");
        assertThat(GreenMailUtil.getAddressList(update.getAllRecipients())).contains("oncall@acme.example");
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void wrongPasswordIsPermanentAndRequiredStartTlsNeverSendsInTheClear() {
        Map<String, String> wrong = settings(false);
        wrong.put("password", "nope");
        SendResult r = new EmailTarget().send(Notifications.firing(1), wrong, Optional.empty());
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(r.error()).isEqualTo("SMTP authentication failed");

        SendResult tls = new EmailTarget().send(Notifications.firing(1), settings(true), Optional.empty());
        assertThat(tls.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(tls.error()).containsIgnoringCase("STARTTLS");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aTransientRefusalIsRetriedAndAPermanentOneIsNotEachWithTheServersReply() throws Exception {
        record Case(String rcpt, String data, SendResult.Outcome outcome, String error) { }
        for (Case c : List.of(
                new Case("451 4.7.1 Greylisted, try again later", "354 go", SendResult.Outcome.RETRY,
                        "SMTP 451 4.7.1 Greylisted, try again later (ops@acme.example)"),
                new Case("250 OK", "452 4.3.1 Insufficient system storage", SendResult.Outcome.RETRY,
                        "SMTP 452 4.3.1 Insufficient system storage"),
                new Case("550 5.1.1 No such user", "354 go", SendResult.Outcome.FAILED,
                        "SMTP 550 5.1.1 No such user (ops@acme.example)"))) {
            try (ScriptedSmtp server = new ScriptedSmtp(c.rcpt(), c.data())) {
                Map<String, String> s = Map.of("host", "127.0.0.1", "port", Integer.toString(server.port()),
                        "starttls", "false", "from", "onloop@acme.example", "to", "ops@acme.example");
                SendResult r = new EmailTarget().send(Notifications.firing(1), s, Optional.empty());
                assertThat(r.outcome()).as(c.rcpt() + " / " + c.data()).isEqualTo(c.outcome());
                assertThat(r.error()).startsWith(c.error());
            }
        }
    }

    /**
     * Just enough of an SMTP server to answer RCPT and DATA as told: GreenMail accepts every recipient and all data,
     * and has no hook to answer 4xx (greylisting) there.
     */
    private static final class ScriptedSmtp implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread;

        ScriptedSmtp(String rcptReply, String dataReply) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                try (Socket s = socket.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                     Writer out = new OutputStreamWriter(s.getOutputStream(), US_ASCII)) {
                    reply(out, "220 scripted ESMTP");
                    for (String line; (line = in.readLine()) != null; ) {
                        String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(java.util.Locale.ROOT);
                        switch (verb) {
                            case "RCPT" -> reply(out, rcptReply);
                            case "DATA" -> {
                                reply(out, dataReply);
                                if (dataReply.startsWith("354")) {
                                    while (!".".equals(in.readLine())) {
                                        // the message
                                    }
                                    reply(out, "250 OK");
                                }
                            }
                            case "QUIT" -> {
                                reply(out, "221 bye");
                                return;
                            }
                            default -> reply(out, "250 OK"); // EHLO, MAIL, RSET, NOOP
                        }
                    }
                } catch (IOException e) {
                    // the client went away
                }
            });
        }

        private static void reply(Writer out, String line) throws IOException {
            out.write(line + "\r\n");
            out.flush();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }
}
