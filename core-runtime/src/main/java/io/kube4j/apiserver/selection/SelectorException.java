package io.kube4j.apiserver.selection;

/** A selector that does not parse; the server answers 400 BadRequest with the message. */
public final class SelectorException extends RuntimeException {
    public SelectorException(String message) {
        super(message);
    }
}
