/** Label and field selectors: parsing kube's string syntax and matching objects held as JSON trees. */
package io.kube4j.apiserver.selection;
