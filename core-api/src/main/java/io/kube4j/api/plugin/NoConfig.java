package io.kube4j.api.plugin;

/** The config record of a plugin that takes no configuration: any key in its slot is an error. */
public record NoConfig() {
}
