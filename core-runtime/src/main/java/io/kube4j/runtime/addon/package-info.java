/** The add-on host: creates, starts and stops the add-ons of a profile's {@code addons:} section. */
package io.kube4j.runtime.addon;
