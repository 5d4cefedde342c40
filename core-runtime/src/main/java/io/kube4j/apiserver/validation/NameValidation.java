package io.kube4j.apiserver.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * apimachinery's name and value checks. Each returns kube's messages for what is wrong with the value, or an empty
 * list when it is valid.
 */
public final class NameValidation {
    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    private NameValidation() {
    }

    public static List<String> dns1123Label(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 63) {
            errors.add(maxLength(63));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errors.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                    + "'-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT,
                    "my-name", "123-abc"));
        }
        return errors;
    }

    public static List<String> dns1123Subdomain(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 253) {
            errors.add(maxLength(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errors;
    }

    public static List<String> dns1035Label(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 63) {
            errors.add(maxLength(63));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errors.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                    + "start with an alphabetic character, and end with an alphanumeric character",
                    DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errors;
    }

    /** A label key or annotation key: an optional DNS subdomain prefix and '/', then a name of up to 63. */
    public static List<String> qualifiedName(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(prefix).forEach(msg -> errors.add("prefix part " + msg));
            }
        } else {
            errors.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT,
                    "MyName", "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'example.com/MyName')");
            return errors;
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add("name part " + maxLength(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT,
                    "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    public static List<String> labelValue(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 63) {
            errors.add(maxLength(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errors.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, "
                    + "'-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
                    "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    /** A key of a ConfigMap's or Secret's data. */
    public static List<String> configMapKey(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 253) {
            errors.add(maxLength(253));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errors.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errors.add("must not be '.'");
        } else if (value.equals("..")) {
            errors.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errors.add("must not start with '..'");
        }
        return errors;
    }

    /** An IANA service name, as container and service ports may be named. */
    public static List<String> portName(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 15) {
            errors.add(maxLength(15));
        }
        if (!PORT_NAME_CHARSET.matcher(value).matches()) {
            errors.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            errors.add("must contain at least one letter (a-z)");
        }
        if (value.contains("--")) {
            errors.add("must not contain consecutive hyphens");
        }
        if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
            errors.add("must not begin or end with a hyphen");
        }
        return errors;
    }

    public static List<String> portNumber(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRange(1, 65535));
    }

    /** A name usable as one segment of a URL path (RBAC objects and a few others). */
    public static List<String> pathSegmentName(String value) {
        List<String> errors = new ArrayList<>();
        if (value.equals(".") || value.equals("..")) {
            errors.add("may not be '" + value + "'");
        }
        for (String illegal : List.of("/", "%")) {
            if (value.contains(illegal)) {
                errors.add("may not contain '" + illegal + "'");
            }
        }
        return errors;
    }

    static boolean isPercent(String value) {
        return PERCENT.matcher(value).matches();
    }

    static String percentError() {
        return regexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
                "1%", "93%");
    }

    static String inclusiveRange(long low, long high) {
        return "must be between " + low + " and " + high + ", inclusive";
    }

    static String maxLength(int length) {
        return "must be no more than " + length + " characters";
    }

    static String regexError(String message, String format, String... examples) {
        if (examples.length == 0) {
            return message + " (regex used for validation is '" + format + "')";
        }
        StringBuilder out = new StringBuilder(message).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                out.append(" or ");
            }
            out.append('\'').append(examples[i]).append("', ");
        }
        return out.append("regex used for validation is '").append(format).append("')").toString();
    }
}
