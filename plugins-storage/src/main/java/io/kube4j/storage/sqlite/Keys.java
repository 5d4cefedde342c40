package io.kube4j.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/** Keys are stored as their UTF-8 bytes in BLOB columns, so SQLite orders them byte-wise as etcd does. */
final class Keys {
    private Keys() {
    }

    static byte[] bytes(String key) {
        return key.getBytes(UTF_8);
    }

    static String string(byte[] key) {
        return new String(key, UTF_8);
    }

    /** The first key of a range: the later of the prefix and the start key. */
    static byte[] lowerBound(String prefix, String startKey) {
        byte[] p = bytes(prefix);
        byte[] s = bytes(startKey);
        return Arrays.compareUnsigned(s, p) > 0 ? s : p;
    }

    /**
     * The first key past every key that starts with {@code prefix}. UTF-8 never holds the byte
     * 0xFF, so every such key sorts below the prefix followed by 0xFF, and every key in between
     * starts with the prefix.
     */
    static byte[] upperBound(String prefix) {
        byte[] p = bytes(prefix);
        byte[] end = Arrays.copyOf(p, p.length + 1);
        end[p.length] = (byte) 0xFF;
        return end;
    }
}
