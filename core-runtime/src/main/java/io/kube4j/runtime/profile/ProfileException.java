package io.kube4j.runtime.profile;

/** A profile that cannot be used; the message names the file, the line and what would be valid. */
public final class ProfileException extends RuntimeException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
