/** Example custom admission plugins, loaded by naming them in a profile. */
package io.kube4j.samples.admission;
