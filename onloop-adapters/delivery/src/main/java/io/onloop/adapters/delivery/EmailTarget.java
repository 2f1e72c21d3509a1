package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;
import jakarta.mail.Authenticator;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * E-mail over SMTP (Jakarta Mail / Angus): STARTTLS (required unless turned off), optional auth,
 * a plain-text and an HTML part. Updates reply to the group's first message (In-Reply-To /
 * References), so mail clients show one conversation per alert group.
 */
public final class EmailTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("email", "E-mail", List.of(
            new Setting("host", SettingType.STRING, true, "SMTP server"),
            new Setting("port", SettingType.PORT, false, "SMTP port (default 587)"),
            new Setting("starttls", SettingType.BOOLEAN, false,
                    "Require STARTTLS (default true); false only for a local relay"),
            new Setting("username", SettingType.STRING, false, "SMTP user, if the server wants auth"),
            new Setting("password", SettingType.SECRET, false, "SMTP password"),
            new Setting("from", SettingType.MAILBOX, true, "Sender address"),
            new Setting("to", SettingType.MAILBOXES, true, "Recipients, comma-separated")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.get("host"));
        p.put("mail.smtp.port", settings.getOrDefault("port", "587"));
        boolean tls = !"false".equals(settings.get("starttls"));
        p.put("mail.smtp.starttls.enable", Boolean.toString(tls));
        p.put("mail.smtp.starttls.required", Boolean.toString(tls));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        String user = settings.get("username");
        Authenticator auth = null;
        if (user != null && !user.isBlank()) {
            p.put("mail.smtp.auth", "true");
            String password = settings.getOrDefault("password", "");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        try {
            Session session = Session.getInstance(p, auth);
            String first = "<" + n.threadKey() + "@onloop>";
            MimeMessage m = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", n.isFirst() ? first : "<" + n.dedupKey().replace('#', '.') + "@onloop>");
                }
            };
            m.setFrom(new InternetAddress(settings.get("from")));
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(settings.get("to")));
            m.setSubject((n.isFirst() ? "" : "Re: ") + Markup.clip(PlainText.headline(n), 200), "UTF-8");
            m.setSentDate(Date.from(n.at()));
            if (!n.isFirst()) {
                m.setHeader("In-Reply-To", first);
                m.setHeader("References", first);
            }
            MimeMultipart alt = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(PlainText.body(n), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(html(n), "text/html; charset=UTF-8");
            alt.addBodyPart(text);
            alt.addBodyPart(html);
            m.setContent(alt);
            Transport.send(m);
            return SendResult.delivered(first);
        } catch (AuthenticationFailedException e) {
            return SendResult.failed("SMTP authentication failed");
        } catch (MessagingException e) {
            return refused(e);
        }
    }

    /**
     * What the server's replies mean (RFC 5321 4.2.1): a 4yz reply is transient, try again later (greylisting answers
     * 451 to RCPT, a full disk 452), a 5yz one is permanent. Jakarta Mail throws "Invalid Addresses" for both, with
     * each server reply nested in it, so those are read. Mail goes to no one if any recipient is refused (Angus sends
     * no partial message by default), so a retry cannot repeat it to the others.
     */
    static SendResult refused(MessagingException e) {
        List<String> replies = new java.util.ArrayList<>();
        boolean permanent = false;
        Exception x = e;
        for (int i = 0; x != null && i < 50; i++) { // a long list of recipients nests one reply each
            int code = switch (x) {
                case SMTPAddressFailedException a -> a.getReturnCode();
                case SMTPSenderFailedException f -> f.getReturnCode();
                case SMTPSendFailedException f -> f.getReturnCode();
                default -> 0;
            };
            if (code >= 400) {
                permanent |= code >= 500;
                String reply = String.valueOf(x.getMessage()).strip();
                replies.add(x instanceof SMTPAddressFailedException a ? reply + " (" + a.getAddress() + ")" : reply);
            }
            x = x instanceof MessagingException m ? m.getNextException() : null;
        }
        if (replies.isEmpty()) { // no reply of the server's: a connection failure, or an address it never saw
            String what = e.getClass().getSimpleName() + " " + Markup.clip(String.valueOf(e.getMessage()), 200);
            return e instanceof SendFailedException ? SendResult.failed("SMTP refused recipients: " + what)
                    : SendResult.retry("SMTP: " + what, null);
        }
        String error = Markup.clip("SMTP " + String.join("; ", replies.stream().distinct().toList()), 300);
        return permanent ? SendResult.failed(error) : SendResult.retry(error, null);
    }

    static String html(Notification n) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        boolean resolved = n.status() == Notification.Status.RESOLVED;
        b.append("<h2 style=\"color:").append(resolved ? "#2e7d32" : "#c62828").append("\">")
                .append(Markup.html(PlainText.headline(n))).append("</h2>");
        table(b, "Firing", n.firing());
        table(b, "Resolved", n.resolved());
        if (!n.runbook().isEmpty()) {
            b.append("<h3>Runbook</h3><pre style=\"white-space:pre-wrap\">").append(Markup.html(n.runbook()))
                    .append("</pre>");
        }
        return b.append("</body></html>").toString();
    }

    private static void table(StringBuilder b, String name, List<AlertSnapshot> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        b.append("<h3>").append(name).append(" (").append(alerts.size()).append(")</h3><ul>");
        for (AlertSnapshot a : alerts) {
            b.append("<li><b>").append(Markup.html(a.severity().id())).append("</b> ").append(Markup.html(a.title()));
            if (a.resource().isKnown()) {
                b.append(" on <code>").append(Markup.html(a.resource().name())).append("</code>");
            }
            if (!a.summary().isEmpty()) {
                b.append("<br>").append(Markup.html(a.summary()));
            }
            if (a.link().startsWith("https://") || a.link().startsWith("http://")) {
                b.append("<br><a href=\"").append(Markup.html(a.link())).append("\">source</a>");
            }
            b.append("</li>");
        }
        b.append("</ul>");
    }
}
