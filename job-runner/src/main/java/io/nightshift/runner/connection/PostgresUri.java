package io.nightshift.runner.connection;

import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code postgresql://[user[:password]@]host[:port][/dbname][?key=value&...]} URI read the way libpq
 * reads it: the first {@code @} ends the user name and password, the first {@code :} in them ends the
 * user name, and every part is percent-decoded. Where libpq would silently read something else than
 * was meant (a second {@code @}, a {@code /} in the password), this refuses and says how to encode it.
 * No message ever contains any part of the user name or password.
 */
record PostgresUri(String user, String password, String host, Integer port, String database, Map<String, String> parameters) {

    static final String FIELD = RunnerEnvironment.DATABASE_URL;
    private static final String ENCODING_HINT = "percent-encode these characters in the user name and password: "
            + "'@' as %40, ':' as %3A (in the user name), '/' as %2F, '?' as %3F, '%' as %25";

    /** Parses {@code text}, which starts with {@code postgresql://} or {@code postgres://}. */
    static PostgresUri parse(String text) {
        String rest = text.substring(text.indexOf("://") + 3);
        int authorityEnd = indexOfAny(rest, "/?");
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        int at = authority.indexOf('@');
        if (at >= 0 && authority.indexOf('@', at + 1) >= 0) {
            throw new ConfigurationException(FIELD + ": more than one '@' before the host: the user name or password contains '@'; "
                    + ENCODING_HINT);
        }
        int queryStart = tail.indexOf('?');
        String pathPart = queryStart < 0 ? tail : tail.substring(0, queryStart);
        if (at < 0 && pathPart.contains("@")) {
            throw new ConfigurationException(FIELD + ": an '@' after the first '/': the password contains '/' or '?'; " + ENCODING_HINT);
        }
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user name");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "the password");
        }
        String hostPort = authority.substring(at + 1);
        if (hostPort.contains(",")) {
            throw new ConfigurationException(FIELD + ": several hosts are not supported; give one host");
        }
        String host;
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new ConfigurationException(FIELD + ": an IPv6 host needs its closing ']'");
            }
            host = hostPort.substring(1, close);
            portText = hostPort.substring(close + 1);
            if (!portText.isEmpty() && !portText.startsWith(":")) {
                throw new ConfigurationException(FIELD + ": expected ':port' after the IPv6 host");
            }
            portText = portText.isEmpty() ? null : portText.substring(1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = decode(colon < 0 ? hostPort : hostPort.substring(0, colon), "the host");
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new ConfigurationException(FIELD + " has no host: write postgresql://user:password@host:5432/dbname");
        }
        if (host.contains(":") && !hostPort.startsWith("[")) {
            throw new ConfigurationException(FIELD + ": the host contains ':'; write an IPv6 address in brackets, or " + ENCODING_HINT);
        }
        String database = pathPart.length() <= 1 ? null : decode(pathPart.substring(1), "the database name");
        Map<String, String> parameters = queryStart < 0 ? new LinkedHashMap<>() : query(tail.substring(queryStart + 1));
        return new PostgresUri(user, password, host, port(portText), database, parameters);
    }

    private static Integer port(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new ConfigurationException(FIELD + ": the port must be a number from 1 to 65535 (a ':' in the password? " + ENCODING_HINT + ")");
        }
        return Integer.parseInt(text);
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter's name");
            String named = key.matches("[A-Za-z_]{1,40}") ? "the value of query parameter " + key : "a query parameter's value";
            params.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1), named));
        }
        return params;
    }

    /** Percent-decodes as libpq does ({@code +} stays {@code +}); {@code what} names the part, never its text. */
    static String decode(String text, String what) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
                throw new ConfigurationException(FIELD + ": " + what + " has a '%' that is not followed by two hex digits; write '%' as %25");
            }
            bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(FIELD + ": " + what + " is not valid UTF-8 once percent-decoded");
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
