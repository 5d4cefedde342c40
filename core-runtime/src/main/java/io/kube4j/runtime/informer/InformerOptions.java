package io.kube4j.runtime.informer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How an informer lists and watches.
 *
 * @param namespace           "" for all namespaces
 * @param labelSelector       "" for none
 * @param fieldSelector       "" for none ({@code spec.nodeName=node-1} for a kubelet's pods)
 * @param resyncPeriod        how often handlers get {@code onUpdate(o, o)} for every cached object; zero for never
 * @param pageSize            the list's {@code limit}
 * @param watchTimeoutSeconds the least {@code timeoutSeconds} of a watch (each asks for up to twice this, at random),
 *                            after which it is renewed from the last version
 * @param queueCapacity       events waiting for the handlers before the watch reader waits for them
 */
public record InformerOptions(String namespace, String labelSelector, String fieldSelector, Duration resyncPeriod,
                              int pageSize, long watchTimeoutSeconds, int queueCapacity) {
    public static final InformerOptions DEFAULT = new InformerOptions("", "", "", Duration.ZERO, 500, 300, 4096);

    public InformerOptions {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(labelSelector, "labelSelector is null");
        requireNonNull(fieldSelector, "fieldSelector is null");
        requireNonNull(resyncPeriod, "resyncPeriod is null");
        if (resyncPeriod.isNegative()) {
            throw new IllegalArgumentException("resyncPeriod is negative: " + resyncPeriod);
        }
        if (pageSize < 1 || watchTimeoutSeconds < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("pageSize, watchTimeoutSeconds and queueCapacity must be positive");
        }
    }

    public InformerOptions withNamespace(String value) {
        return new InformerOptions(value, labelSelector, fieldSelector, resyncPeriod, pageSize, watchTimeoutSeconds, queueCapacity);
    }

    public InformerOptions withLabelSelector(String value) {
        return new InformerOptions(namespace, value, fieldSelector, resyncPeriod, pageSize, watchTimeoutSeconds, queueCapacity);
    }

    public InformerOptions withFieldSelector(String value) {
        return new InformerOptions(namespace, labelSelector, value, resyncPeriod, pageSize, watchTimeoutSeconds, queueCapacity);
    }

    public InformerOptions withResyncPeriod(Duration value) {
        return new InformerOptions(namespace, labelSelector, fieldSelector, value, pageSize, watchTimeoutSeconds, queueCapacity);
    }

    public InformerOptions withPageSize(int value) {
        return new InformerOptions(namespace, labelSelector, fieldSelector, resyncPeriod, value, watchTimeoutSeconds, queueCapacity);
    }

    public InformerOptions withWatchTimeoutSeconds(long value) {
        return new InformerOptions(namespace, labelSelector, fieldSelector, resyncPeriod, pageSize, value, queueCapacity);
    }

    public InformerOptions withQueueCapacity(int value) {
        return new InformerOptions(namespace, labelSelector, fieldSelector, resyncPeriod, pageSize, watchTimeoutSeconds, value);
    }
}
