package io.kube4j.auth.token;

import io.kube4j.api.auth.AuthenticationRequest;
import io.kube4j.api.auth.AuthenticationResult;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks bearer tokens up in a fixed table. The table is keyed by the SHA-256 of each token, so
 * the time a lookup takes depends on the digest of what the client sent, never on how many of
 * its leading characters match a real token.
 */
final class TokenAuthenticator implements Authenticator {
    private final Map<String, Entry> entriesByDigest;

    private record Entry(byte[] digest, UserInfo user) {
    }

    TokenAuthenticator(Map<String, UserInfo> usersByToken) {
        Map<String, Entry> entries = new HashMap<>();
        usersByToken.forEach((token, user) -> {
            byte[] digest = digest(token);
            entries.put(HexFormat.of().formatHex(digest), new Entry(digest, withAuthenticatedGroup(user)));
        });
        this.entriesByDigest = Map.copyOf(entries);
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            return AuthenticationResult.noOpinion();
        }
        byte[] digest = digest(token.get());
        Entry entry = entriesByDigest.get(HexFormat.of().formatHex(digest));
        if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
            return new AuthenticationResult.Rejected("invalid bearer token");
        }
        return new AuthenticationResult.Authenticated(entry.user());
    }

    private static UserInfo withAuthenticatedGroup(UserInfo user) {
        if (user.groups().contains(UserInfo.GROUP_AUTHENTICATED)) {
            return user;
        }
        List<String> groups = new ArrayList<>(user.groups());
        groups.add(UserInfo.GROUP_AUTHENTICATED);
        return new UserInfo(user.name(), user.uid(), groups, user.extra());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
