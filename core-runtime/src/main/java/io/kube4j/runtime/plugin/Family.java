package io.kube4j.runtime.plugin;

import io.kube4j.api.addon.AddOnFactory;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.auth.AuthenticatorFactory;
import io.kube4j.api.auth.AuthorizerFactory;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.node.ContainerRuntimeFactory;
import io.kube4j.api.node.PodNetworkFactory;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.api.proxy.ProxyModeFactory;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.storage.StorageBackend;

/** The plugin families the runtime discovers, each with its factory interface. */
public enum Family {
    STORAGE("storage", StorageBackend.class),
    AUTHENTICATION("authentication", AuthenticatorFactory.class),
    AUTHORIZATION("authorization", AuthorizerFactory.class),
    ADMISSION("admission", AdmissionPluginFactory.class),
    SCHEDULING("scheduling", SchedulingPluginFactory.class),
    CONTAINER_RUNTIME("container runtime", ContainerRuntimeFactory.class),
    POD_NETWORK("pod network", PodNetworkFactory.class),
    CONTROLLER("controller", ControllerFactory.class),
    ADDON("add-on", AddOnFactory.class),
    PROXY_MODE("proxy mode", ProxyModeFactory.class);

    private final String label;
    private final Class<? extends PluginFactory> factoryType;

    Family(String label, Class<? extends PluginFactory> factoryType) {
        this.label = label;
        this.factoryType = factoryType;
    }

    public String label() {
        return label;
    }

    public Class<? extends PluginFactory> factoryType() {
        return factoryType;
    }
}
