/** The watch cache: the API server's in-memory copy of the store, serving LIST and WATCH. */
package io.kube4j.apiserver.cache;
