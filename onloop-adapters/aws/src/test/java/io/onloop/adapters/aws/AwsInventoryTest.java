package io.onloop.adapters.aws;

import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsInventoryTest extends AwsServer {

    static final String EC2_PAGE_2 = "eyJ2IjoiMiIsImMiOiJpLTBhMWIyYzNkNGU1ZjYwNzE4In0=";

    static WorkloadRef ref(String kind, String id) {
        return new WorkloadRef("aws", "prod-eu-west-1", "", kind, id, "");
    }

    @Test
    void runningInstancesFromEveryPage() {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeInstances")).atPriority(5)
                .willReturn(ec2(200, "describe-instances-page1.xml")));
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("NextToken=")).atPriority(1)
                .willReturn(ec2(200, "describe-instances-page2.xml")));

        var instances = new AwsInventory(aws).instances();

        // not i-0b1c2d3e4f5a6b7c8 of page 2: an Auto Scaling group's, replaced with its old type if stopped
        assertThat(instances).containsExactly(
                new Ec2Instance(ref("EC2Instance", "i-0a1b2c3d4e5f60718"), "m5.large", "eu-west-1a", "Linux/UNIX"),
                new Ec2Instance(ref("EC2Instance", "i-0f9e8d7c6b5a40321"), "c5.xlarge", "eu-west-1b", "Windows"),
                new Ec2Instance(ref("EC2Instance", "i-07a6b5c4d3e2f1098"), "t3.medium", "eu-west-1b", "Linux/UNIX"));
        var calls = requests();
        assertThat(calls).hasSize(2);
        assertThat(form(calls.get(0))).containsEntry("Action", "DescribeInstances")
                .containsEntry("Filter.1.Name", "instance-state-name").containsEntry("Filter.1.Value.1", "running")
                .doesNotContainKey("NextToken");
        assertThat(form(calls.get(1))).containsEntry("NextToken", EC2_PAGE_2)
                .containsEntry("Filter.1.Value.1", "running");
    }

    @Test
    void functionsFromEveryPage() {
        server.stubFor(get(urlPathEqualTo("/2015-03-31/functions")).atPriority(5)
                .willReturn(lambda(200, "list-functions-page1.json", null)));
        server.stubFor(get(urlPathEqualTo("/2015-03-31/functions")).withQueryParam("Marker", equalTo("v1:orders-api:8a1b2c3d"))
                .atPriority(1).willReturn(lambda(200, "list-functions-page2.json", null)));

        assertThat(new AwsInventory(aws).functions()).containsExactly(
                new LambdaFunction(ref("LambdaFunction", "orders-api"), 1024, "arm64", 30),
                new LambdaFunction(ref("LambdaFunction", "thumbnailer"), 3008, "x86_64", 900));
        assertThat(requests()).hasSize(2);
    }

    @Test
    void volumesWithTheirAttachment() {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeVolumes"))
                .willReturn(ec2(200, "describe-volumes.xml")));

        assertThat(new AwsInventory(aws).volumes()).containsExactly(
                new EbsVolume(ref("EBSVolume", "vol-049df61146c4d7901"), "gp2", 100, Optional.of(300), Optional.empty(),
                        Optional.of("i-0a1b2c3d4e5f60718")),
                new EbsVolume(ref("EBSVolume", "vol-0b6c7d8e9f0a1b2c3"), "gp3", 500, Optional.of(3000), Optional.of(125),
                        Optional.empty()),
                // still detaching: it is attached until EC2 says detached
                new EbsVolume(ref("EBSVolume", "vol-0d1e2f3a4b5c6d7e8"), "st1", 2048, Optional.empty(), Optional.empty(),
                        Optional.of("i-0f9e8d7c6b5a40321")));
    }

    @Test
    void aRefusedPermissionIsNamedAndNotRetried() {
        server.stubFor(post(urlEqualTo("/")).willReturn(ec2(403, "unauthorized.xml")));

        assertThatThrownBy(() -> new AwsInventory(aws).instances())
                .isInstanceOf(InventoryUnavailableException.class)
                .hasMessageContaining("AWS denied ec2:DescribeInstances (UnauthorizedOperation")
                .hasMessageContaining("the credentials need the IAM permission ec2:DescribeInstances");
        assertThat(requests()).hasSize(1);
    }

    @Test
    void throttlingIsRetriedThenReported() {
        server.stubFor(post(urlEqualTo("/")).willReturn(ec2(503, "request-limit-exceeded.xml")));

        assertThatThrownBy(() -> new AwsInventory(aws).volumes())
                .isInstanceOf(InventoryUnavailableException.class)
                .hasMessageContaining("AWS kept throttling ec2:DescribeVolumes (RequestLimitExceeded) after 3 attempts");
        assertThat(requests()).hasSize(3);
    }

    @Test
    void aThrottledCallThatRecoversSucceeds() {
        server.stubFor(get(urlPathEqualTo("/2015-03-31/functions")).inScenario("throttled once").whenScenarioStateIs(STARTED).willSetStateTo("recovered")
                .willReturn(lambda(429, "too-many-requests.json", "TooManyRequestsException")));
        server.stubFor(get(urlPathEqualTo("/2015-03-31/functions")).inScenario("throttled once").whenScenarioStateIs("recovered").willReturn(lambda(200, "list-functions-page2.json", null)));

        assertThat(new AwsInventory(aws).functions()).extracting(f -> f.ref().name()).containsExactly("thumbnailer");
        assertThat(requests()).hasSize(2);
    }

    @Test
    void lambdaAccessDeniedIsNamed() {
        server.stubFor(get(urlPathEqualTo("/2015-03-31/functions"))
                .willReturn(lambda(403, "access-denied.json", "AccessDeniedException")));

        assertThatThrownBy(() -> new AwsInventory(aws).functions())
                .isInstanceOf(InventoryUnavailableException.class)
                .hasMessageContaining("AWS denied lambda:ListFunctions (AccessDeniedException")
                .hasMessageContaining("not authorized to perform: lambda:ListFunctions");
    }
}
