package io.kube4j.api.scheduling;

/**
 * Base of every scheduling plugin. A plugin implements one or more extension-point interfaces
 * ({@link FilterPlugin}, {@link ScorePlugin}, ...); the framework sorts it into those points once,
 * when the profile is loaded. One instance serves every profile entry that names it within one
 * scheduler profile, for the life of the scheduler; it is used from many threads at once.
 */
public interface SchedulingPlugin {

    /** The name used in profiles and in statuses, equal to its factory's name ({@code NodeResourcesFit}). */
    String name();
}
