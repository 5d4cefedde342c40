package io.kube4j.api.node;

import java.util.List;
import java.util.Optional;

/**
 * The image half of the CRI. Thread-safe; every method may block (a pull may take minutes).
 * Failures throw {@link ContainerRuntimeException}.
 */
public interface ImageService {

    /**
     * Makes {@code image} present (pulling it, or finding it locally for runtimes without a
     * registry) and returns its reference ({@link Image#id()}). Idempotent: an image already
     * present is not pulled again. Concurrent pulls of one image may be joined.
     */
    String pullImage(String image, Optional<RegistryCredentials> credentials);

    /** Every image present. */
    List<Image> listImages();

    /** The image named by {@code image} (tag, digest or id), or empty if absent. */
    Optional<Image> imageStatus(String image);

    /** Removes the image; idempotent. Fails if a container still uses it. */
    void removeImage(String image);
}
