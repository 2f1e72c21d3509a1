package io.onloop.domain.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {

    // Fake secrets in the secrets' real shapes. Assembled from parts so that no scanner mistakes this file for a leak.
    private static final String PEM_BODY = "MIIEpAIBAAKCAQEA7bq3y0WlZ1bL3+Xyz0123456789abcdefABCDEF/+ghij\n"
            + "klmnopQRSTUVwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh==\n";
    private static final String PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + PEM_BODY + "-----END RSA " + "PRIVATE KEY-----";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static final String AKIA = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String ASIA = "ASIA" + "Y34FZKBOKMUTVV7A";
    private static final String GHP = "ghp_" + "R8Xh1bQ2kqJc7Gm4Wn5Zt9Yp3Lv6Sd0Fa1Ee";
    private static final String XOXB = "xoxb-" + "2048123456-4096123456789-aBcDeFgHiJkLmNoPqRsTuVwX";
    private static final String SLACK_HOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0E1F2G3H/aBcDeFgHiJkLmNoPqRsTuVwX";
    private static final String TEAMS_HOOK = "https://contoso.webhook.office.com/webhookb2/"
            + "7a1b2c3d-1234-4abc-9def-0123456789ab@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/"
            + "0f1e2d3c4b5a69788796a5b4c3d2e1f0/5c6d7e8f-0a1b-4c2d-8e3f-4a5b6c7d8e9f";
    private static final String DISCORD_HOOK = "https://discord.com/api/webhooks/" + "1234567890123456789/"
            + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz01";

    private static String redact(String text) {
        return SecretRedactor.redact(text);
    }

    @Test
    void pemPrivateKeysAreRedactedWhole() {
        assertThat(redact("key:\n" + PEM + "\nend")).isEqualTo("key:\n[REDACTED:private-key]\nend");
        for (String kind : new String[]{"", "EC ", "OPENSSH ", "ENCRYPTED "}) {
            String key = "-----BEGIN " + kind + "PRIVATE KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQC\n-----END " + kind + "PRIVATE KEY-----";
            assertThat(redact(key)).as(kind).isEqualTo("[REDACTED:private-key]");
        }
    }

    @Test
    void pemPrivateKeyInsideAJsonStringWithEscapedNewlines() {
        String json = "{\"secret\":{\"tls.key\":\"" + PEM.replace("\n", "\\n") + "\\n\",\"name\":\"web-tls\"}}";
        assertThat(redact(json)).isEqualTo("{\"secret\":{\"tls.key\":\"[REDACTED:private-key]\\n\",\"name\":\"web-tls\"}}");
    }

    @Test
    void aPublicCertificateIsNotAPrivateKey() {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----";
        assertThat(redact(cert)).isEqualTo(cert);
    }

    @Test
    void onloopsOwnTokens() {
        String api = "olt_" + "Zk3q9V_xT2-mN8bR4cW7yL1pH6sD0aJ5eG3uQ9iK2oF";
        String source = "ols_" + "-a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u_";
        assertThat(redact("curl -H 'Authorization: Token " + api + "'")).isEqualTo("curl -H 'Authorization: Token [REDACTED:onloop-token]'");
        assertThat(redact("{\"t\":\"" + source + "\"}")).isEqualTo("{\"t\":\"[REDACTED:onloop-token]\"}");
        assertThat(redact("/ingest?token=" + source + "&x=1")).isEqualTo("/ingest?token=[REDACTED:onloop-token]&x=1");
        assertThat(redact("olt_short and " + api + "x")).as("not a token's length: left alone")
                .isEqualTo("olt_short and " + api + "x");
        assertThat(redact("?next=%2Fingest%3Ftoken%3D" + source + "%26x%3D1")).as("in an encoded URL")
                .isEqualTo("?next=%2Fingest%3Ftoken%3D[REDACTED:onloop-token]%26x%3D1");
        assertThat(redact("bolt_" + api.substring(4))).as("inside a longer word: not a token").startsWith("bolt_");
    }

    @Test
    void jwts() {
        assertThat(redact("token " + JWT + " expired")).isEqualTo("token [REDACTED:jwt] expired");
        assertThat(redact("{\"id_token\":\"" + JWT + "\"}")).isEqualTo("{\"id_token\":\"[REDACTED:jwt]\"}");
    }

    @Test
    void awsAccessKeyIds() {
        assertThat(redact("user " + AKIA + " denied")).isEqualTo("user [REDACTED:aws-access-key] denied");
        assertThat(redact("{\"accessKeyId\":\"" + ASIA + "\"}")).isEqualTo("{\"accessKeyId\":\"[REDACTED:aws-access-key]\"}");
        // an ARN, an account id and a request id are not keys
        String ordinary = "arn:aws:iam::123456789012:role/AKIAROLE requestId=5f2b1a3c-AKIA";
        assertThat(redact(ordinary)).isEqualTo(ordinary);
    }

    @Test
    void githubAndSlackTokens() {
        assertThat(redact("GITHUB_TOKEN=" + GHP.substring(0, 4) + "x " + GHP)).endsWith(" [REDACTED:github-token]");
        assertThat(redact("auth with " + GHP + ".")).isEqualTo("auth with [REDACTED:github-token].");
        assertThat(redact("bot " + XOXB + " revoked")).isEqualTo("bot [REDACTED:slack-token] revoked");
    }

    @Test
    void webhookUrlsOfSlackTeamsAndDiscord() {
        for (String hook : new String[]{SLACK_HOOK, TEAMS_HOOK, DISCORD_HOOK, DISCORD_HOOK.replace("discord.com", "discordapp.com")}) {
            assertThat(redact("posting to " + hook + " failed: 404")).as(hook)
                    .isEqualTo("posting to [REDACTED:webhook-url] failed: 404");
            assertThat(redact("{\"url\":\"" + hook + "\",\"retries\":3}")).as(hook)
                    .isEqualTo("{\"url\":\"[REDACTED:webhook-url]\",\"retries\":3}");
        }
    }

    @Test
    void webhookUrlInJsonThatIsItselfInsideAJsonString() {
        // SNS, CloudEvents and Kubernetes carry JSON documents as escaped strings: the \" must survive
        String json = "{\"Message\":\"{\\\"hook\\\":\\\"" + SLACK_HOOK + "\\\"}\"}";
        assertThat(redact(json)).isEqualTo("{\"Message\":\"{\\\"hook\\\":\\\"[REDACTED:webhook-url]\\\"}\"}");
    }

    @Test
    void connectionStringPasswords() {
        assertThat(redact("could not connect to postgres://onloop:s3cr3t-Pw@db.internal:5432/onloop"))
                .isEqualTo("could not connect to postgres://onloop:[REDACTED:connection-password]@db.internal:5432/onloop");
        assertThat(redact("{\"url\":\"mongodb+srv://app:Zx9%40pq@cluster0.mongodb.net/prod\"}"))
                .isEqualTo("{\"url\":\"mongodb+srv://app:[REDACTED:connection-password]@cluster0.mongodb.net/prod\"}");
        assertThat(redact("redis://default:hunter22@cache:6379"))
                .isEqualTo("redis://default:[REDACTED:connection-password]@cache:6379");
        assertThat(redact("redis://:redispass99@cache:6379")).as("no user name, as Redis URLs often have")
                .isEqualTo("redis://:[REDACTED:connection-password]@cache:6379");
        assertThat(redact("see http://:8080?next=me@corp.example.com")).as("a port, not a password")
                .isEqualTo("see http://:8080?next=me@corp.example.com");
    }

    /** A quoted value is the secret whole: spaces, & and ; in it do not end it (found leaking the rest). */
    @Test
    void quotedValuesAreRedactedToTheirClosingQuote() {
        assertThat(redact("{\"password\": \"Tr0ub4dor&3\"}")).isEqualTo("{\"password\": \"[REDACTED:password]\"}");
        assertThat(redact("{\"password\": \"correct horse battery staple\", \"user\": \"bob\"}"))
                .isEqualTo("{\"password\": \"[REDACTED:password]\", \"user\": \"bob\"}");
        assertThat(redact("password=\"quoted pass with spaces 9\" host=db1"))
                .isEqualTo("password=\"[REDACTED:password]\" host=db1");
        assertThat(redact("secret: 'my secret value 123'")).isEqualTo("secret: '[REDACTED:password]'");
        assertThat(redact("{\"Message\":\"{\\\"password\\\":\\\"a b;c\\\"}\"}"))
                .isEqualTo("{\"Message\":\"{\\\"password\\\":\\\"[REDACTED:password]\\\"}\"}");
        assertThat(redact("{\"password\":\"\",\"user\":\"bob\"}")).as("nothing to hide").isEqualTo("{\"password\":\"\",\"user\":\"bob\"}");
        assertThat(redact("password=hunter22 rest")).isEqualTo("password=[REDACTED:password] rest");
        // JSON's escapes inside the value are part of it
        assertThat(redact("{\"password\":\"ab\\\\cd ef\",\"user\":\"bob\"}"))
                .isEqualTo("{\"password\":\"[REDACTED:password]\",\"user\":\"bob\"}");
        assertThat(redact("{\"password\":\"ab\\\"cd\\u00e9\"}")).isEqualTo("{\"password\":\"[REDACTED:password]\"}");
        // a quote that closes a message is not a value's opening one
        for (String text : List.of("msg=\"bad token: \" err=\"deadline\"", "msg=\"token: \" + value")) {
            assertThat(redact(text)).isEqualTo(text);
        }
        // a quote that never closes: the value ends as an unquoted one does
        assertThat(redact("password=\"abc def")).isEqualTo("password=\"[REDACTED:password] def");
        assertThat(redact("credentials: \"cn=admin, dc=example\"")).isEqualTo("credentials: \"[REDACTED:password]\"");
        String hostile = "password=\"" + "x".repeat(300_000);
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> redact(hostile))).isEqualTo("password=\"[REDACTED:password]");
        String quotes = "password=\"" + "\\\"".repeat(150_000);
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> redact(quotes))).startsWith("password=\"");
    }

    @Test
    void connectionPasswordsHoldingSlashesOrAtSignsAreRedactedWhole() {
        assertThat(redact("mysql://root:Zx9/Qw+ab==@10.0.0.5:3306/x"))
                .isEqualTo("mysql://root:[REDACTED:connection-password]@10.0.0.5:3306/x");
        assertThat(redact("redis://default:p@ssW0rd42@cache:6379 up"))
                .isEqualTo("redis://default:[REDACTED:connection-password]@cache:6379 up");
        // both: an @ and then a / (exploratory tester: "ss/w0rd" was left after the first @)
        assertThat(redact("DATABASE_URL=mysql://app:p@ss/w0rd@db:3306/x"))
                .isEqualTo("DATABASE_URL=mysql://app:[REDACTED:connection-password]@db:3306/x");
        // a port and a path with an @ in it are not a password; nor is an e-mail in a URL's path
        for (String text : List.of("https://registry.npmjs.org:443/@scope/pkg", "https://example.com/u/jane@example.com")) {
            assertThat(redact(text)).isEqualTo(text);
        }
        String longRun = "a://b:" + "x".repeat(300_000) + "@h";
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> redact(longRun))).isEqualTo(longRun);
    }

    @Test
    void singleQuotedPasswordsPgpKeysAndVendorApiKeys() {
        assertThat(redact("password='SingleQuoted77'")).isEqualTo("password='[REDACTED:password]'");
        assertThat(redact("x -----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK----- y"))
                .isEqualTo("x [REDACTED:private-key] y");
        assertThat(redact("cut short: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk"))
                .isEqualTo("cut short: [REDACTED:private-key]");
        assertThat(redact("oai=sk-proj-AbCdEfGhIjKlMnOpQrStUv012345 stripe sk_live_51HxYzAbCdEfGh0123456789"))
                .isEqualTo("oai=[REDACTED:api-key] stripe [REDACTED:api-key]");
        assertThat(redact("gcp AIzaSyA-1234567890abcdefghijklmnopqrstu")).isEqualTo("gcp [REDACTED:gcp-api-key]");
        // no key-like run rescanned from every "sk-" in it: linear in the text
        String hostile = "sk-".repeat(350_000);
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> redact(hostile))).isEqualTo(hostile);
        // lower-case names that merely start like a key
        for (String text : List.of("job sk-learn-training-job-runner-0001 done", "pod rk-ingest-worker-7f9c6d-abcde")) {
            assertThat(redact(text)).isEqualTo(text);
        }
    }

    @Test
    void bearerTokens() {
        assertThat(redact("Authorization: Bearer 3f9a1c0e7b2d4a6f8e0c1b3d5f7a9c2e"))
                .isEqualTo("Authorization: Bearer [REDACTED:bearer-token]");
        assertThat(redact("{\"headers\":{\"authorization\":\"bearer sk-live_4eC39HqLyjWDarjtT1zdp7dc\"}}"))
                .isEqualTo("{\"headers\":{\"authorization\":\"bearer [REDACTED:bearer-token]\"}}");
        assertThat(redact("Authorization: Bearer " + JWT)).isEqualTo("Authorization: Bearer [REDACTED:jwt]");
    }

    @Test
    void keyValueSecrets() {
        assertThat(redact("login failed: user=alice password=hunter22 host=db1"))
                .isEqualTo("login failed: user=alice password=[REDACTED:password] host=db1");
        assertThat(redact("{\"api_key\": \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\", \"region\": \"eu-west-1\"}"))
                .isEqualTo("{\"api_key\": \"[REDACTED:password]\", \"region\": \"eu-west-1\"}");
        assertThat(redact("[default]\naws_access_key_id = " + AKIA + "\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"))
                .isEqualTo("[default]\naws_access_key_id = [REDACTED:aws-access-key]\naws_secret_access_key = [REDACTED:password]\n");
        assertThat(redact("GET /login?user=bob&passwd=letmein99&next=/"))
                .isEqualTo("GET /login?user=bob&passwd=[REDACTED:password]&next=/");
        assertThat(redact("X-Api-Key: 0123456789abcdef")).isEqualTo("X-Api-Key: [REDACTED:password]");
        assertThat(redact("{\"client_secret\":\"abc.def-ghi\"}")).isEqualTo("{\"client_secret\":\"[REDACTED:password]\"}");
        // the keyword at the end of a longer name, as environment variables and config keys have it
        assertThat(redact("DB_PASSWORD=hunter22 MYSQL_ROOT_PASSWORD=s3cr3t! PGPASSWORD=pgpass1 github_auth_token=abc123"))
                .isEqualTo("DB_PASSWORD=[REDACTED:password] MYSQL_ROOT_PASSWORD=[REDACTED:password] "
                        + "PGPASSWORD=[REDACTED:password] github_auth_token=[REDACTED:password]");
        assertThat(redact("{\"x_api_key\":\"k-0123456789\",\"db.password\":\"hunter22\"}"))
                .isEqualTo("{\"x_api_key\":\"[REDACTED:password]\",\"db.password\":\"[REDACTED:password]\"}");
        // escaped JSON inside a JSON string
        assertThat(redact("{\"Message\":\"{\\\"password\\\":\\\"hunter22\\\"}\"}"))
                .isEqualTo("{\"Message\":\"{\\\"password\\\":\\\"[REDACTED:password]\\\"}\"}");
    }

    @Test
    void basicCredentialsSignedUrlsLegacyTeamsUrlsAndBareTokensAndPasswords() {
        assertThat(redact("Authorization: Basic dXNlcjpodW50ZXIy")).isEqualTo("Authorization: Basic [REDACTED:basic-credentials]");
        assertThat(redact("https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers&sv=1.0&sig=Xy12abCDef34GHij56KLmn78"))
                .endsWith("&sig=[REDACTED:url-signature]");
        assertThat(redact("https://outlook.office.com/webhook/0a1b2c3d-4e5f@6a7b/IncomingWebhook/8c9d/0e1f"))
                .isEqualTo("[REDACTED:webhook-url]");
        assertThat(redact("token: abcdef123456")).isEqualTo("token: [REDACTED:password]");
        assertThat(redact("pass: hunter22, user: bob")).isEqualTo("pass: [REDACTED:password], user: bob");
    }

    @Test
    void passwordsOnAClientsCommandLine() {
        assertThat(redact("backup failed: mysqldump -uroot -pS3cret!x --all-databases exited 2"))
                .isEqualTo("backup failed: mysqldump -uroot -p[REDACTED:password] --all-databases exited 2");
        assertThat(redact("mariadb -h db1 -P 3306 -p'hunter2' -e 'select 1'"))
                .isEqualTo("mariadb -h db1 -P 3306 -p'[REDACTED:password]' -e 'select 1'");
        assertThat(redact("curl -sf -u admin:Zx9pQ2 https://es:9200/_cluster/health failed"))
                .isEqualTo("curl -sf -u admin:[REDACTED:password] https://es:9200/_cluster/health failed");
        assertThat(redact("curl --user=deploy:t0ps3cret https://nexus/repo")).isEqualTo("curl --user=deploy:[REDACTED:password] https://nexus/repo");
        // the prompt, a port, a directory's parents, a user without a password: no value to hide
        for (String ordinary : List.of("mysql -u app -p -h db1", "mysql -P 3307 -h db1", "mkdir -p /var/lib/mysql",
                "curl -u admin https://es:9200", "docker run -p 8080:80 mysql")) {
            assertThat(redact(ordinary)).as(ordinary).isEqualTo(ordinary);
        }
        String hostile = "mysql " + " x".repeat(200_000) + " -p";
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> redact(hostile))).isEqualTo(hostile);
    }

    @Test
    void aLabelNamedForASecretIsRedactedWhole() {
        assertThat(SecretRedactor.redactLabel("password", "hunter2")).isEqualTo("[REDACTED:password]");
        assertThat(SecretRedactor.redactLabel("db_pass", "x")).isEqualTo("[REDACTED:password]");
        assertThat(SecretRedactor.redactLabel("slackApiToken", "abc")).isEqualTo("[REDACTED:password]");
        assertThat(SecretRedactor.redactLabel("dsn", "postgres://u:pw123@db/x")).isEqualTo("postgres://u:[REDACTED:connection-password]@db/x");
        assertThat(SecretRedactor.redactLabel("client_secret", "x")).isEqualTo("[REDACTED:password]");
        for (String name : new String[]{"authorization", "bearer", "connection_string", "ssh_key", "signing_key",
                "passphrase", "webhook_url", "cookie", "session_id", "credentials", "private_key"}) {
            assertThat(SecretRedactor.redactLabel(name, "v-123")).as(name).isEqualTo("[REDACTED:password]");
        }
        // and the same names in a raw payload
        assertThat(redact("{\"db_pass\":\"LabelDbPass222\",\"credentials\":\"LabelCreds555\",\"private_key\":\"k-131\"}"))
                .isEqualTo("{\"db_pass\":\"[REDACTED:password]\",\"credentials\":\"[REDACTED:password]\","
                        + "\"private_key\":\"[REDACTED:password]\"}");
        // Kubernetes-style prefixes, a vault path, a space, a long dotted property name
        for (String name : new String[]{"app.example.com/db-password", "app.kubernetes.io/api-key", "vault:password",
                "DB Password", "spring.datasource.hikari.data-source-properties.password",
                "com.example.service.database.primary.connection.password", "a".repeat(40) + "_password"}) {
            assertThat(SecretRedactor.redactLabel(name, "hunter2")).as(name).isEqualTo("[REDACTED:password]");
        }
        // and such a name of over 60 characters in a raw payload, as in the labels
        assertThat(SecretRedactor.redactPayload("{\"io.example.platform.gateway.upstream.request.headers.set-cookie\":\"sid=abc123\"}"))
                .isEqualTo("{\"io.example.platform.gateway.upstream.request.headers.set-cookie\":\"[REDACTED:password]\"}");
        for (String ordinary : new String[]{"alertname", "severity", "compass", "bypass", "instance", "keyspace", "pod",
                "secret", "secret_name", "app.kubernetes.io/name", "vault:secret", "tokens_total"}) {
            assertThat(SecretRedactor.redactLabel(ordinary, "value-1")).as(ordinary).isEqualTo("value-1");
        }
    }

    @Test
    void pluralsAndShortFormsOfSecretNamesAreSecretNames() {
        for (String name : new String[]{"passwords", "db_passwords", "db_secrets", "app.secrets", "creds", "db_creds",
                "api_keys", "apikeys", "access_keys", "ssh_keys", "encryption_key", "encryption-keys", "master_key", "jwt",
                "session_jwt", "connection_strings"}) {
            assertThat(SecretRedactor.redactLabel(name, "v-123")).as(name).isEqualTo("[REDACTED:password]");
        }
        for (String name : new String[]{"secret_access", "aws_secret_access", "signature", "request_signature"}) {
            assertThat(SecretRedactor.redactLabel(name, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).as(name)
                    .isEqualTo("[REDACTED:password]");
        }
        for (String ordinary : new String[]{"secrets", "keys", "jwt_issuer", "creds_rotated_at", "monkey", "keyspace",
                "max_tokens", "auth", "author"}) {
            assertThat(SecretRedactor.redactLabel(ordinary, "value-1")).as(ordinary).isEqualTo("value-1");
        }
        assertThat(redact("passwords=hunter2")).isEqualTo("passwords=[REDACTED:password]");
        // in free text "creds" is often a volume's or a Secret's name: `volume "creds" : secret "db-creds" not found`
    }

    @Test
    void aSecretNamedJsonMemberThatIsNotAStringStaysValidJson() {
        // a PIN or numeric password is hidden as a string; null, true and false say nothing and stay as they are
        assertThat(SecretRedactor.redactPayload("{\"pin_password\": 482913, \"db\":{\"password\":-1.5e3},\"token\":null,"
                + "\"api_key\":true,\"passwordSet\":false}"))
                .isEqualTo("{\"pin_password\": \"[REDACTED:password]\", \"db\":{\"password\":\"[REDACTED:password]\"},"
                        + "\"token\":null,\"api_key\":true,\"passwordSet\":false}");
        assertThat(redact("password=null token: true")).isEqualTo("password=null token: true");
        assertThat(redact("password=12345678")).isEqualTo("password=[REDACTED:password]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CPU usage above 90% on node ip-10-0-1-23.eu-west-1.compute.internal for 5m",
            "HighErrorRate: 5xx ratio 0.12 > 0.05 for service checkout (pod checkout-7d9f8b6c5-x2x4z)",
            "See https://grafana.example.com/d/abc123/overview?orgId=1&from=now-1h for details",
            "runbook: https://runbooks.example.org/alerts/HighLatency#mitigation",
            "postgres://db.internal:5432/onloop is unreachable",
            "Password reset requested for user alice",
            "Too many failed password attempts for admin",
            "the password policy was updated",
            "Kubernetes API bearer authentication failed for service account default",
            "basic authentication failed for user admin",
            "the signal is weak; design review at https://example.com/doc?sign=1",
            "bypass: enabled, compass=north",
            "max_tokens 4096 reached",
            "MountVolume.SetUp failed for volume \"creds\" : secret \"db-creds\" not found",
            "error code 42",
            "exit status 137",
            "{\"password\":\"\",\"passwordSet\":false}",
            "Alert fired 3 times in 10 minutes, threshold=80, value=93.5",
    })
    void ordinaryTextIsLeftAlone(String text) {
        assertThat(redact(text)).isEqualTo(text);
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertThat(redact(null)).isNull();
        assertThat(redact("")).isEmpty();
    }

    @Test
    void redactedJsonKeepsItsQuotesAndStructure() {
        String json = """
                {"alarm":"DBConnections","config":{"password":"hunter22","api_key":"k-0123456789",
                 "dsn":"postgres://app:s3cr3t@db:5432/x","auth":"Bearer abcdef0123456789",
                 "hook":"%s","key":"%s","jwt":"%s"},"count":3}""".formatted(SLACK_HOOK, PEM.replace("\n", "\\n"), JWT);
        String out = redact(json);
        assertThat(out).doesNotContain("hunter22", "k-0123456789", "s3cr3t", "abcdef0123456789", "aBcDeFgHiJk",
                "MIIEpAIB", JWT);
        assertThat(out).isEqualTo("""
                {"alarm":"DBConnections","config":{"password":"[REDACTED:password]","api_key":"[REDACTED:password]",
                 "dsn":"postgres://app:[REDACTED:connection-password]@db:5432/x","auth":"Bearer [REDACTED:bearer-token]",
                 "hook":"[REDACTED:webhook-url]","key":"[REDACTED:private-key]","jwt":"[REDACTED:jwt]"},"count":3}""");
        assertThat(count(out, '"')).isEqualTo(count(json, '"'));
        assertThat(count(out, '{')).isEqualTo(count(json, '{'));
        assertThat(count(out, '}')).isEqualTo(count(json, '}'));
    }

    @Test
    void redactingTwiceIsRedactingOnce() {
        String[] samples = {
                PEM, "{\"k\":\"" + PEM.replace("\n", "\\n") + "\"}", JWT, AKIA, ASIA, GHP, XOXB, SLACK_HOOK, TEAMS_HOOK,
                DISCORD_HOOK, "postgres://u:pw123@h/db", "Authorization: Bearer 3f9a1c0e7b2d4a6f8e0c1b3d",
                "password=hunter22", "{\"api_key\": \"abc123\"}", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG",
                "{\"api_key\":\"" + AKIA + "\",\"password\":\"postgres://u:p4ss@h\"}", "token " + GHP + " and " + XOXB,
        };
        for (String sample : samples) {
            String once = redact(sample);
            assertThat(once).as(sample).isNotEqualTo(sample).contains("[REDACTED:");
            assertThat(redact(once)).as(sample).isEqualTo(once);
        }
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }

    @Test
    void manyKeyHeadersWithoutAnEndCostLinearTimeAndLeaveTheTextAlone() {
        // A lazy BEGIN.*?END regex rescanned the rest of the text for each header: minutes for 1 MiB.
        String hostile = "-----BEGIN PRIVATE KEY-----".repeat(40_000); // ~1 MiB, no END anywhere
        String out = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> SecretRedactor.redact(hostile));
        assertThat(out).isEqualTo("[REDACTED:private-key]"); // a key without its END runs to the end of the text
    }

    @Test
    void aCertificateBlockIsNotAKeyButAKeyAfterItIsRedacted() {
        String text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----";
        assertThat(SecretRedactor.redact(text)).contains("BEGIN CERTIFICATE").contains("[REDACTED:private-key]")
                .doesNotContain("MHcCAQEE");
    }
}
