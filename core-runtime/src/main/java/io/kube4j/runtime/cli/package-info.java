/** The kube4j command line: up, apiserver, plugins, profile check. */
package io.kube4j.runtime.cli;
