/** Admission SPI: mutating and validating plugins that see every write before it is stored. */
package io.kube4j.api.admission;
