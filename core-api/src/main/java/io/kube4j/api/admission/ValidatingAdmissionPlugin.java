package io.kube4j.api.admission;

/** An admission plugin that may refuse a write after the object is final; it cannot change it. */
public interface ValidatingAdmissionPlugin extends AdmissionPlugin {
    /** Returns allowed or denied. Thread-safe, no I/O. A patched object in an Allowed answer is ignored. */
    AdmissionResponse validate(AdmissionRequest request);
}
