package io.kube4j.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import java.util.List;
import java.util.Optional;

/**
 * The admission plugins of the profile, split once at start into the mutating and the validating
 * ones (profile order kept), as kube-apiserver runs them.
 */
public final class AdmissionChain {
    private final List<MutatingAdmissionPlugin> mutating;
    private final List<ValidatingAdmissionPlugin> validating;

    public AdmissionChain(List<AdmissionPlugin> plugins) {
        this.mutating = plugins.stream().filter(MutatingAdmissionPlugin.class::isInstance)
                .map(MutatingAdmissionPlugin.class::cast).toList();
        this.validating = plugins.stream().filter(ValidatingAdmissionPlugin.class::isInstance)
                .map(ValidatingAdmissionPlugin.class::cast).toList();
    }

    public static AdmissionChain empty() {
        return new AdmissionChain(List.of());
    }

    /** Runs the mutating plugins; returns the object as they left it. Throws {@link ApiError} on denial. */
    public Optional<ObjectNode> mutate(AdmissionRequest request) {
        Optional<ObjectNode> object = request.object();
        for (MutatingAdmissionPlugin p : mutating) {
            if (!p.handles(request.operation())) {
                continue;
            }
            AdmissionRequest r = new AdmissionRequest(request.operation(), request.resource(), request.subresource(),
                    request.namespace(), request.name(), object, request.oldObject(), request.user(), request.dryRun());
            AdmissionResponse answer = p.admit(r);
            if (answer instanceof AdmissionResponse.Denied d) {
                throw denied(d);
            }
            Optional<ObjectNode> patched = ((AdmissionResponse.Allowed) answer).patchedObject();
            if (patched.isPresent()) {
                object = patched;
            }
        }
        return object;
    }

    /** Runs the validating plugins; throws {@link ApiError} on the first denial. */
    public void validate(AdmissionRequest request) {
        for (ValidatingAdmissionPlugin p : validating) {
            if (p.handles(request.operation()) && p.validate(request) instanceof AdmissionResponse.Denied d) {
                throw denied(d);
            }
        }
    }

    private static ApiError denied(AdmissionResponse.Denied d) {
        return ApiError.withCode(d.code(), d.reason(), d.message());
    }
}
