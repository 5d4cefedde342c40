package io.kube4j.api.client;

import io.fabric8.kubernetes.api.model.Status;

/** The API server answered with an error Status (or could not be reached: code 0). */
public final class ApiException extends RuntimeException {
    private final int code;
    private final transient Status status;

    public ApiException(int code, Status status) {
        super(code + " " + (status.getReason() == null ? "" : status.getReason()) + ": " + status.getMessage());
        this.code = code;
        this.status = status;
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
        this.code = 0;
        this.status = new Status();
        this.status.setMessage(message);
    }

    /** The HTTP status code, 0 if the server was not reached. */
    public int code() {
        return code;
    }

    public Status status() {
        return status;
    }

    public boolean isNotFound() {
        return code == 404;
    }

    public boolean isConflict() {
        return code == 409;
    }

    public boolean isGone() {
        return code == 410;
    }
}
