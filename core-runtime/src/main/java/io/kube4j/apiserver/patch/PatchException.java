package io.kube4j.apiserver.patch;

/**
 * A patch that is malformed ({@code 400}) or that cannot be applied to the object ({@code 422}).
 * The API server answers with {@link #code()} as the HTTP status.
 */
public final class PatchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** HTTP 400: the patch document itself is malformed. */
    public static final int BAD_REQUEST = 400;
    /** HTTP 422: the patch is well formed but cannot be applied to this object. */
    public static final int UNPROCESSABLE = 422;

    private final int code;

    public PatchException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The HTTP status the API server should answer with. */
    public int code() {
        return code;
    }

    static PatchException badRequest(String message) {
        return new PatchException(BAD_REQUEST, message);
    }

    static PatchException unprocessable(String message) {
        return new PatchException(UNPROCESSABLE, message);
    }
}
