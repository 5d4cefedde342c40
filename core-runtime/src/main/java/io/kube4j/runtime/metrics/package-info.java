/**
 * A small Prometheus registry for the components' {@code /metrics}: labelled counters, gauges read
 * at scrape time, and histograms, written in the text exposition format 0.0.4. Hand-rolled on
 * purpose: the few metric families kube4j serves need nothing of a client library's collectors,
 * and recording is one {@code LongAdder} increment on the hot path.
 */
package io.kube4j.runtime.metrics;
