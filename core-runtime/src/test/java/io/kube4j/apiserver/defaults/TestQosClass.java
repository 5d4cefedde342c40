package io.kube4j.apiserver.defaults;

import static io.kube4j.apiserver.defaults.TestDefaulter.json;
import static io.kube4j.apiserver.defaults.TestDefaulter.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TestQosClass {
    @Test
    void noResourcesIsBestEffort() {
        assertThat(qos("{}")).isEqualTo("BestEffort");
        assertThat(qos("{\"requests\":{\"ephemeral-storage\":\"1Gi\"}}")).as("only cpu and memory count")
                .isEqualTo("BestEffort");
    }

    @Test
    void limitsOnlyBecomeRequestsAndMakeItGuaranteed() {
        assertThat(qos("{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}")).isEqualTo("Guaranteed");
    }

    @Test
    void equalRequestsAndLimitsWrittenDifferentlyAreGuaranteed() {
        assertThat(qos("{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},"
                + "\"requests\":{\"cpu\":\"1000m\",\"memory\":\"1073741824\"}}")).isEqualTo("Guaranteed");
    }

    @Test
    void requestsBelowLimitsOrMissingLimitsAreBurstable() {
        assertThat(qos("{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"500m\"}}"))
                .isEqualTo("Burstable");
        assertThat(qos("{\"requests\":{\"cpu\":\"100m\"}}")).isEqualTo("Burstable");
        assertThat(qos("{\"limits\":{\"cpu\":\"1\"}}")).as("memory limit missing").isEqualTo("Burstable");
    }

    @Test
    void oneContainerWithoutLimitsMakesThePodBurstable() {
        ObjectNode pod = json("""
                {"metadata":{"name":"p"},"spec":{"containers":[
                  {"name":"a","image":"x","resources":{"limits":{"cpu":"1","memory":"1Gi"}}},
                  {"name":"b","image":"x"}]}}""");
        Defaulter.apply(type("v1", "Pod"), pod);
        assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Burstable");
        assertThat(pod.at("/spec/containers/0/resources/requests"))
                .isEqualTo(json("{\"cpu\":\"1\",\"memory\":\"1Gi\"}"));
    }

    private static String qos(String resources) {
        ObjectNode pod = json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\","
                + "\"resources\":" + resources + "}]}}");
        Defaulter.apply(type("v1", "Pod"), pod);
        return pod.at("/status/qosClass").asText();
    }
}
