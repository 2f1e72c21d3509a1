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

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
}
