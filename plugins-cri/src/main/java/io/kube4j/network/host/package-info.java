/** The {@code host} pod network: pods share the node's network, and their IP is the node's. */
package io.kube4j.network.host;
