package io.kube4j.runtime.assembly;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.storage.StorageBackend;
import io.kube4j.api.storage.Store;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;

/** Opens the store the profile's {@code apiserver.storage} slot names. */
final class StorageModule extends AbstractModule {
    @Provides
    @Singleton
    Store store(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context, LifeCycleManager lifeCycle) {
        return lifeCycle.manage(open(binder.bind(Family.STORAGE, profile.apiserver().storage(), "apiserver.storage"), context));
    }

    private static <C> Store open(PluginBinder.Bound<C> bound, RuntimePluginContext context) {
        return ((StorageBackend<C>) bound.factory()).open(bound.config(), context);
    }
}
