package io.kube4j.apiserver.patch;

/** STUB until the patch work lands. */
public final class PatchException extends Exception {
    private final int code;

    public PatchException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
