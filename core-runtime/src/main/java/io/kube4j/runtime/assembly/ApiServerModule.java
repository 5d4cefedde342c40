package io.kube4j.runtime.assembly;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.kube4j.api.auth.Authenticator;
import io.kube4j.api.auth.Authorizer;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.storage.Store;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.runtime.pki.ClusterPki;
import io.kube4j.runtime.profile.ApiServerProfile;
import io.kube4j.runtime.profile.ClusterProfile;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The API server of the profile, with its serving certificate when TLS is on. */
final class ApiServerModule extends AbstractModule {
    private final Optional<ClusterPki> pki;

    ApiServerModule(Optional<ClusterPki> pki) {
        this.pki = pki;
    }

    @Provides
    @Singleton
    ApiServer apiServer(ClusterProfile profile, Store store, List<Authenticator> authenticators,
                        List<Authorizer> authorizers, AuthModule.AdmissionPlugins admission, Clock clock,
                        LifeCycleManager lifeCycle) {
        ApiServerProfile a = profile.apiserver();
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        char[] password = HexFormat.of().formatHex(random).toCharArray();
        String advertise = a.advertiseAddress().isEmpty() ? a.host() : a.advertiseAddress().replaceAll(":[0-9]+$", "");
        if (advertise.equals("0.0.0.0")) {
            advertise = "127.0.0.1";
        }
        ApiServer.Settings settings = new ApiServer.Settings(a.host(), a.port(),
                pki.map(p -> p.serverKeyStore(password)), password, advertise, a.maxRequestsInflight(),
                a.maxMutatingRequestsInflight(), a.serviceClusterIpRange(), a.watchCacheSize(),
                io.kube4j.api.plugin.Durations.parse("apiserver.watchBookmarkInterval", a.watchBookmarkInterval()));
        return lifeCycle.manage(new ApiServer(settings, store, ResourceRegistry.builtIn(), authenticators, authorizers,
                admission.create(), clock));
    }
}
