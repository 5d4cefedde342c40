package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPodFailurePolicy {

    private static Job job(PodFailurePolicyRule... rules) {
        return new JobBuilder().withNewMetadata().withName("j").withNamespace("ns").endMetadata().withNewSpec()
                .withNewPodFailurePolicy().withRules(List.of(rules)).endPodFailurePolicy().endSpec().build();
    }

    private static PodFailurePolicyRule onCodes(String action, String container, String operator, Integer... codes) {
        return new PodFailurePolicyRuleBuilder().withAction(action).withNewOnExitCodes().withContainerName(container)
                .withOperator(operator).withValues(codes).endOnExitCodes().build();
    }

    private static Pod failed(String container, int code, String conditionType) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewStatus()
                .withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder().withName(container).withNewState()
                        .withNewTerminated().withExitCode(code).endTerminated().endState().build())
                .endStatus();
        if (conditionType != null) {
            pod.editStatus().withConditions(new PodConditionBuilder().withType(conditionType).withStatus("True").build()).endStatus();
        }
        return pod.build();
    }

    @Test
    void theFirstMatchingRuleDecidesAndItsMessageNamesContainerCodeAndIndex() {
        Job job = job(onCodes("Ignore", null, "In", 42), onCodes("FailJob", "main", "NotIn", 0, 1));
        assertThat(JobController.policyMatch(job, failed("main", 42, null)).orElseThrow().action()).isEqualTo("Ignore");
        JobController.PolicyMatch failJob = JobController.policyMatch(job, failed("main", 7, null)).orElseThrow();
        assertThat(failJob.action()).isEqualTo("FailJob");
        assertThat(failJob.message()).isEqualTo("Container main for pod ns/p failed with exit code 7 matching FailJob rule at index 1");
        assertThat(JobController.policyMatch(job, failed("main", 1, null))).as("1 is in NotIn's values").isEmpty();
        assertThat(JobController.policyMatch(job, failed("sidecar", 7, null))).as("another container").isEmpty();
    }

    @Test
    void exitCodeZeroNeverMatchesAndPodConditionsMatchByTypeAndStatus() {
        PodFailurePolicyRule disruption = new PodFailurePolicyRuleBuilder().withAction("Ignore").addNewOnPodCondition()
                .withType("DisruptionTarget").withStatus("True").endOnPodCondition().build();
        Job job = job(onCodes("FailJob", null, "NotIn", 5), disruption);
        assertThat(JobController.policyMatch(job, failed("main", 0, null))).isEmpty();
        JobController.PolicyMatch evicted = JobController.policyMatch(job, failed("main", 0, "DisruptionTarget")).orElseThrow();
        assertThat(evicted.action()).isEqualTo("Ignore");
        assertThat(evicted.message()).isEqualTo("Pod ns/p has condition DisruptionTarget matching Ignore rule at index 1");
    }
}
