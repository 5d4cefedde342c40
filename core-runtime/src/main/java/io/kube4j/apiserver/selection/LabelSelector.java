package io.kube4j.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed label selector in Kubernetes' string syntax: equality ({@code a=b}, {@code a==b},
 * {@code a!=b}) and set-based ({@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a})
 * requirements, comma-separated, all of which must match.
 */
public final class LabelSelector {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    record Requirement(String key, Op op, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode v = labels.get(key);
            boolean has = v != null && v.isTextual();
            return switch (op) {
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case EQUALS, IN -> has && values.contains(v.asText());
                case NOT_EQUALS, NOT_IN -> !has || !values.contains(v.asText());
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Whether an object's {@code metadata.labels} (may be missing) satisfies every requirement. */
    public boolean matches(JsonNode labels) {
        JsonNode l = labels == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a selector; throws {@link SelectorException} with a message like kube-apiserver's. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        Lexer lx = new Lexer(text);
        while (true) {
            lx.skipSpaces();
            if (lx.atEnd()) {
                break;
            }
            out.add(requirement(lx, text));
            lx.skipSpaces();
            if (lx.atEnd()) {
                break;
            }
            if (!lx.consume(",")) {
                throw new SelectorException("unable to parse requirement: found '" + lx.rest() + "', expected: ','");
            }
        }
        return new LabelSelector(out);
    }

    private static Requirement requirement(Lexer lx, String text) {
        lx.skipSpaces();
        if (lx.consume("!")) {
            String key = lx.identifier();
            checkKey(key);
            return new Requirement(key, Op.DOES_NOT_EXIST, Set.of());
        }
        String key = lx.identifier();
        checkKey(key);
        lx.skipSpaces();
        if (lx.atEnd() || lx.peek() == ',') {
            return new Requirement(key, Op.EXISTS, Set.of());
        }
        if (lx.consume("==") || lx.consume("=")) {
            return new Requirement(key, Op.EQUALS, Set.of(value(lx)));
        }
        if (lx.consume("!=")) {
            return new Requirement(key, Op.NOT_EQUALS, Set.of(value(lx)));
        }
        if (lx.consumeWord("notin")) {
            return new Requirement(key, Op.NOT_IN, set(lx));
        }
        if (lx.consumeWord("in")) {
            return new Requirement(key, Op.IN, set(lx));
        }
        throw new SelectorException("unable to parse requirement: found '" + lx.rest()
                + "', expected: in, notin, =, ==, !=, gt, lt");
    }

    private static String value(Lexer lx) {
        lx.skipSpaces();
        String v = lx.identifier();
        checkValue(v);
        return v;
    }

    private static Set<String> set(Lexer lx) {
        lx.skipSpaces();
        if (!lx.consume("(")) {
            throw new SelectorException("unable to parse requirement: found '" + lx.rest() + "', expected: '('");
        }
        List<String> values = new ArrayList<>();
        while (true) {
            lx.skipSpaces();
            if (lx.consume(")")) {
                break;
            }
            String v = lx.identifier();
            checkValue(v);
            values.add(v);
            lx.skipSpaces();
            if (lx.consume(")")) {
                break;
            }
            if (!lx.consume(",")) {
                throw new SelectorException("unable to parse requirement: found '" + lx.rest() + "', expected: ',', ')'");
            }
        }
        if (values.isEmpty()) {
            throw new SelectorException("for 'in', 'notin' operators, values set can't be empty");
        }
        return Set.copyOf(values);
    }

    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new SelectorException("unable to parse requirement: key is empty");
        }
        if (!Names.isQualifiedName(key)) {
            throw new SelectorException("unable to parse requirement: invalid label key \"" + key
                    + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void checkValue(String value) {
        if (!Names.isLabelValue(value)) {
            throw new SelectorException("unable to parse requirement: invalid label value: \"" + value
                    + "\": must be 63 characters or less and must be empty or begin and end with an alphanumeric character");
        }
    }

    /** A tiny lexer over the selector text. */
    static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        char peek() {
            return s.charAt(i);
        }

        String rest() {
            return s.substring(i);
        }

        void skipSpaces() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean consume(String token) {
            if (s.startsWith(token, i)) {
                i += token.length();
                return true;
            }
            return false;
        }

        boolean consumeWord(String word) {
            int end = i + word.length();
            if (s.startsWith(word, i) && (end == s.length() || Character.isWhitespace(s.charAt(end)) || s.charAt(end) == '(')) {
                i = end;
                return true;
            }
            return false;
        }

        String identifier() {
            int start = i;
            while (i < s.length() && isIdentChar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private static boolean isIdentChar(char c) {
            return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
        }
    }
}
