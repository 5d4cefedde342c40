/**
 * The Kubernetes protobuf wire format ({@code application/vnd.kubernetes.protobuf}) translated to
 * and from the JSON trees the API server keeps, by walking the descriptors of the generated
 * {@code client-java-proto} messages rather than by hand-written per-type code.
 */
package io.kube4j.apiserver.protobuf;
