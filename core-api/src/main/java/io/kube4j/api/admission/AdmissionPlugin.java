package io.kube4j.api.admission;

/**
 * Base of an admission plugin. A plugin implements {@link MutatingAdmissionPlugin},
 * {@link ValidatingAdmissionPlugin} or both; the API server runs every mutating plugin (profile
 * order), then validation, then every validating plugin.
 */
public interface AdmissionPlugin {

    /** Whether this plugin looks at this operation at all; the server skips the call otherwise. */
    default boolean handles(AdmissionRequest.Operation operation) {
        return true;
    }
}
