package io.kube4j.auth.token;

import io.kube4j.api.auth.UserInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a token file: one {@code token,user,uid[,"group1,group2"]} record a line. Blank lines
 * and lines starting with {@code #} are skipped. Fields may be double-quoted ({@code ""} inside
 * quotes is a quote), which is how a group list holds its commas.
 */
final class TokenFile {

    private TokenFile() {
    }

    /** Reads {@code file}; errors name the file and the line. */
    static Map<String, UserInfo> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), lines);
    }

    /** Parses the lines of the file named {@code source} into users by token, in file order. */
    static Map<String, UserInfo> parse(String source, List<String> lines) {
        Map<String, UserInfo> users = new LinkedHashMap<>();
        Map<String, Integer> lineOfToken = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields;
            try {
                fields = splitRecord(line);
            } catch (IllegalArgumentException e) {
                throw error(source, lineNumber, e.getMessage());
            }
            if (fields.size() < 3 || fields.size() > 4) {
                throw error(source, lineNumber, "expected token,user,uid[,\"group1,group2\"] but found "
                        + fields.size() + " field(s)");
            }
            String token = fields.get(0);
            String user = fields.get(1);
            String uid = fields.get(2);
            if (token.isEmpty()) {
                throw error(source, lineNumber, "the token is empty");
            }
            if (user.isEmpty()) {
                throw error(source, lineNumber, "the user name is empty");
            }
            Integer previous = lineOfToken.putIfAbsent(token, lineNumber);
            if (previous != null) {
                throw error(source, lineNumber, "the token of line " + previous + " appears again");
            }
            List<String> groups = fields.size() == 4 ? splitGroups(fields.get(3)) : List.of();
            users.put(token, new UserInfo(user, uid, groups, Map.of()));
        }
        return users;
    }

    private static IllegalArgumentException error(String source, int line, String message) {
        return new IllegalArgumentException("token file " + source + " line " + line + ": " + message);
    }

    private static List<String> splitGroups(String field) {
        List<String> groups = new ArrayList<>();
        for (String group : field.split(",", -1)) {
            String trimmed = group.strip();
            if (!trimmed.isEmpty()) {
                groups.add(trimmed);
            }
        }
        return groups;
    }

    private static int skipBlanks(String line, int from) {
        int i = from;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Splits one CSV record; unquoted fields are trimmed, quoted ones kept as written. */
    static List<String> splitRecord(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            i = skipBlanks(line, i);
            StringBuilder field = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("a quoted field has no closing quote");
                }
                i = skipBlanks(line, i);
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("unexpected text after the closing quote at column " + (i + 1));
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String raw = line.substring(i, end);
                if (raw.indexOf('"') >= 0) {
                    throw new IllegalArgumentException("a quote in an unquoted field at column " + (i + raw.indexOf('"') + 1));
                }
                fields.add(raw.strip());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++;
            if (i == n) {
                fields.add("");
                return fields;
            }
        }
    }
}
