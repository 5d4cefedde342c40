package io.kube4j.api.controller;

/**
 * Thrown by a reconcile when the object cannot be reconciled until it changes (an invalid spec,
 * say): the key is forgotten instead of retried, and the error is logged and may be recorded as
 * a Warning event. The next change to the object brings the key back.
 */
public class TerminalException extends RuntimeException {

    public TerminalException(String message) {
        super(message);
    }

    public TerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
