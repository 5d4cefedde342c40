package io.kube4j.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestNameValidation {
    @Test
    void dnsNames() {
        assertThat(NameValidation.dns1123Subdomain("my-app.example.com")).isEmpty();
        assertThat(NameValidation.dns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
        assertThat(NameValidation.dns1123Label("my-app")).isEmpty();
        assertThat(NameValidation.dns1123Label("my.app")).hasSize(1);
        assertThat(NameValidation.dns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
        assertThat(NameValidation.dns1035Label("abc-123")).isEmpty();
        assertThat(NameValidation.dns1035Label("123-abc")).hasSize(1);
    }

    @Test
    void qualifiedNames() {
        assertThat(NameValidation.qualifiedName("app.kubernetes.io/name")).isEmpty();
        assertThat(NameValidation.qualifiedName("MyName")).isEmpty();
        assertThat(NameValidation.qualifiedName("/name")).containsExactly("prefix part must be non-empty");
        assertThat(NameValidation.qualifiedName("Example.com/name")).singleElement().asString()
                .startsWith("prefix part a lowercase RFC 1123 subdomain");
        assertThat(NameValidation.qualifiedName("a/b/c")).singleElement().asString()
                .startsWith("a qualified name must consist of").endsWith("with an optional DNS subdomain prefix and "
                        + "'/' (e.g. 'example.com/MyName')");
        assertThat(NameValidation.qualifiedName("x".repeat(64))).containsExactly(
                "name part must be no more than 63 characters");
        assertThat(NameValidation.qualifiedName("")).hasSize(2).first().isEqualTo("name part must be non-empty");
    }

    @Test
    void labelValuesAndKeys() {
        assertThat(NameValidation.labelValue("")).isEmpty();
        assertThat(NameValidation.labelValue("v1.2_3")).isEmpty();
        assertThat(NameValidation.labelValue("a b")).hasSize(1);
        assertThat(NameValidation.configMapKey("..data")).containsExactly("must not start with '..'");
        assertThat(NameValidation.configMapKey(".env")).isEmpty();
    }

    @Test
    void portNames() {
        assertThat(NameValidation.portName("http")).isEmpty();
        assertThat(NameValidation.portName("8080")).containsExactly("must contain at least one letter (a-z)");
        assertThat(NameValidation.portName("a--b")).containsExactly("must not contain consecutive hyphens");
        assertThat(NameValidation.portName("very-long-port-name")).containsExactly(
                "must be no more than 15 characters");
        assertThat(NameValidation.pathSegmentName("system:admin")).isEmpty();
        assertThat(NameValidation.pathSegmentName("a/b")).containsExactly("may not contain '/'");
    }
}
