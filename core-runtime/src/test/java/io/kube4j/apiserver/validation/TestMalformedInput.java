package io.kube4j.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.defaults.Defaulter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Clients send anything; defaulting and validation answer with errors, never with an exception. */
class TestMalformedInput {
    private static final List<String> SHAPES = List.of(
            "{}",
            "{\"metadata\":\"x\",\"spec\":\"x\",\"status\":7}",
            "{\"metadata\":{\"name\":5,\"labels\":[1],\"annotations\":\"a\",\"ownerReferences\":[\"x\"]},"
                    + "\"spec\":{\"containers\":\"x\",\"template\":5,\"selector\":[],\"ports\":[1,\"a\",{}],"
                    + "\"tolerations\":[\"x\",{}],\"volumes\":[null,{\"secret\":\"x\"}],\"replicas\":\"many\","
                    + "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"99999999999999999999999%\"}},"
                    + "\"jobTemplate\":[],\"rules\":7,\"schedule\":5,\"clusterIPs\":[\"zz::zz\", 1]},"
                    + "\"data\":{\"k\":{}},\"binaryData\":{\"b\":\"%%%\"},\"rules\":[\"x\",{\"verbs\":\"get\"}],"
                    + "\"subsets\":[{\"addresses\":[{\"ip\":\"::1::\"}],\"ports\":[{\"port\":\"x\"}]}],"
                    + "\"roleRef\":\"x\",\"subjects\":[1],\"endpoints\":[{}],\"ports\":[{\"port\":-1}]}",
            "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"ports\":[{\"containerPort\":\"http\"}],"
                    + "\"resources\":{\"limits\":{\"cpu\":[]},\"requests\":{\"memory\":\"1e999999\"}},"
                    + "\"livenessProbe\":\"x\",\"env\":[{}],\"volumeMounts\":[{}]}],"
                    + "\"selector\":{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":\"x\"}]},"
                    + "\"template\":{\"metadata\":{\"labels\":\"x\"},\"spec\":{\"containers\":[1]}}}}");

    @Test
    void everyTypeAnswersMalformedObjectsWithErrors() {
        for (ResourceType type : ResourceRegistry.builtIn().all()) {
            for (String shape : SHAPES) {
                for (String oldShape : SHAPES) {
                    ObjectNode object = TestValidator.json(shape);
                    ObjectNode old = TestValidator.json(oldShape);
                    assertThatCode(() -> {
                        Defaulter.apply(type, object);
                        Validator.validate(type, object, Optional.empty(), "");
                        Validator.validate(type, object, Optional.of(old), "");
                        Validator.validate(type, object, Optional.of(old), "status");
                    }).as("%s %s after %s", type.kind(), shape, oldShape).doesNotThrowAnyException();
                }
            }
        }
    }
}
