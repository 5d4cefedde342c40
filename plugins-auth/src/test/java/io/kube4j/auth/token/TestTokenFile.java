package io.kube4j.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.auth.UserInfo;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTokenFile {

    @Test
    void parsesRecordsSkippingCommentsAndBlankLines() {
        Map<String, UserInfo> users = TokenFile.parse("tokens.csv", List.of(
                "# token,user,uid,groups",
                "",
                "   ",
                "abc123,admin,1,\"system:masters, devs\"",
                " def456 , alice , 2 ",
                "ghi789,bob,,\"\"",
                "  # indented comment"));

        assertThat(users).containsOnlyKeys("abc123", "def456", "ghi789");
        assertThat(users.get("abc123")).isEqualTo(new UserInfo("admin", "1", List.of("system:masters", "devs"), Map.of()));
        assertThat(users.get("def456")).isEqualTo(new UserInfo("alice", "2", List.of(), Map.of()));
        assertThat(users.get("ghi789")).isEqualTo(new UserInfo("bob", "", List.of(), Map.of()));
    }

    @Test
    void acceptsAnUnquotedSingleGroupAndEscapedQuotes() {
        Map<String, UserInfo> users = TokenFile.parse("tokens.csv", List.of(
                "t1,carol,3,viewers",
                "\"t\"\"2\",dave,4"));

        assertThat(users.get("t1").groups()).containsExactly("viewers");
        assertThat(users.get("t\"2").name()).isEqualTo("dave");
    }

    @Test
    void splitsQuotedFieldsKeepingTheirCommas() {
        assertThat(TokenFile.splitRecord("a,\"b,c\",d")).containsExactly("a", "b,c", "d");
        assertThat(TokenFile.splitRecord("a,b,")).containsExactly("a", "b", "");
        assertThat(TokenFile.splitRecord("\"a\" ,b")).containsExactly("a", "b");
    }

    @Test
    void tooFewFieldsNamesFileAndLine() {
        assertThatThrownBy(() -> TokenFile.parse("/data/tokens.csv", List.of("# header", "abc,admin")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token file /data/tokens.csv line 2: expected token,user,uid[,\"group1,group2\"] but found 2 field(s)");
    }

    @Test
    void tooManyFieldsIsAnError() {
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of("abc,admin,1,g1,g2")))
                .hasMessage("token file tokens.csv line 1: expected token,user,uid[,\"group1,group2\"] but found 5 field(s)");
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of("abc,admin,1,\"g1,g2")))
                .hasMessage("token file tokens.csv line 1: a quoted field has no closing quote");
    }

    @Test
    void textAfterClosingQuoteIsAnError() {
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of("abc,admin,1,\"g1\"x")))
                .hasMessageStartingWith("token file tokens.csv line 1: unexpected text after the closing quote");
    }

    @Test
    void emptyTokenOrUserIsAnError() {
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of(",admin,1")))
                .hasMessage("token file tokens.csv line 1: the token is empty");
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of("abc,,1")))
                .hasMessage("token file tokens.csv line 1: the user name is empty");
    }

    @Test
    void duplicateTokenNamesBothLines() {
        assertThatThrownBy(() -> TokenFile.parse("tokens.csv", List.of("abc,admin,1", "", "abc,bob,2")))
                .hasMessage("token file tokens.csv line 3: the token of line 1 appears again");
    }

    @Test
    void readsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "\uFEFFabc,admin,1,\"system:masters\"\n");

        assertThat(TokenFile.read(file).get("abc").groups()).containsExactly("system:masters");
    }

    @Test
    void missingFileNamesIt(@TempDir Path dir) {
        Path file = dir.resolve("absent.csv");

        assertThatThrownBy(() -> TokenFile.read(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read token file " + file);
    }
}
