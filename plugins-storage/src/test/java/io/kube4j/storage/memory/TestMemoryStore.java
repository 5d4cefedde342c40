package io.kube4j.storage.memory;

import io.kube4j.api.storage.Store;
import io.kube4j.storage.conformance.StoreConformanceTest;
import io.kube4j.storage.conformance.TestPluginContext;
import java.nio.file.Path;

class TestMemoryStore extends StoreConformanceTest {

    @Override
    protected Store open(Path dataDir) {
        return new MemoryStorageBackend().open(new MemoryConfig("0"), new TestPluginContext(dataDir));
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
