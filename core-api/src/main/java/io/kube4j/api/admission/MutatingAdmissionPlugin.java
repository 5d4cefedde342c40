package io.kube4j.api.admission;

/** An admission plugin that may change the object before it is validated and stored. */
public interface MutatingAdmissionPlugin extends AdmissionPlugin {
    /**
     * Returns allowed (with a changed copy of the object, or none) or denied. Called concurrently,
     * on the request's thread: no I/O, read the {@link AdmissionContext#cluster()} view.
     */
    AdmissionResponse admit(AdmissionRequest request);
}
