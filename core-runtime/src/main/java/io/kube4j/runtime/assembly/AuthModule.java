package io.kube4j.runtime.assembly;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.auth.AuthorizerFactory;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.PluginSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Creates the authenticators, authorizers and admission plugins of the profile, in profile order. */
final class AuthModule extends AbstractModule {

    /** Makes the admission plugins once the API server has a view of the cluster to give them. */
    record AdmissionPlugins(Function<ClusterView, List<AdmissionPlugin>> create) {
    }

    @Provides
    @Singleton
    List<Authenticator> authenticators(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context) {
        List<Authenticator> out = new ArrayList<>();
        int i = 0;
        for (PluginSlot slot : profile.apiserver().authentication()) {
            out.add(authenticator(binder.bind(Family.AUTHENTICATION, slot, "apiserver.authentication[" + i++ + "]"), context));
        }
        return List.copyOf(out);
    }

    @Provides
    @Singleton
    List<Authorizer> authorizers(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context) {
        List<Authorizer> out = new ArrayList<>();
        int i = 0;
        for (PluginSlot slot : profile.apiserver().authorization()) {
            out.add(authorizer(binder.bind(Family.AUTHORIZATION, slot, "apiserver.authorization[" + i++ + "]"), context));
        }
        return List.copyOf(out);
    }

    @Provides
    @Singleton
    AdmissionPlugins admission(ClusterProfile profile, PluginBinder binder, RuntimePluginContext context) {
        List<PluginBinder.Bound<?>> bound = new ArrayList<>();
        int i = 0;
        for (PluginSlot slot : profile.apiserver().admission()) {
            bound.add(binder.bind(Family.ADMISSION, slot, "apiserver.admission[" + i++ + "]"));
        }
        return new AdmissionPlugins(view -> bound.stream().map(b -> admissionPlugin(b, context, view)).toList());
    }

    @SuppressWarnings("unchecked")
    private static <C> Authenticator authenticator(PluginBinder.Bound<C> b, RuntimePluginContext context) {
        return ((AuthenticatorFactory<C>) b.factory()).create(b.config(), context);
    }

    @SuppressWarnings("unchecked")
    private static <C> Authorizer authorizer(PluginBinder.Bound<C> b, RuntimePluginContext context) {
        return ((AuthorizerFactory<C>) b.factory()).create(b.config(), context);
    }

    @SuppressWarnings("unchecked")
    private static <C> AdmissionPlugin admissionPlugin(PluginBinder.Bound<C> b, RuntimePluginContext context,
                                                       ClusterView view) {
        return ((AdmissionPluginFactory<C>) b.factory()).create(b.config(), context.withCluster(view));
    }
}
