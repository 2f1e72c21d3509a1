package io.onloop.adapters.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mock API server in expectations mode, answering as an API server does to a service account without list rights. */
@EnableKubernetesMockClient
class KubernetesInventoryUnavailableTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void aRefusedListingIsReportedAsUnavailableWithTheStatusCode() {
        server.expect().get().withPath("/apis/autoscaling/v2/horizontalpodautoscalers").andReturn(403, """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
                 "message":"horizontalpodautoscalers.autoscaling is forbidden: User \\"system:serviceaccount:onloop:onloop\\" cannot list resource"}
                """).always();

        assertThatThrownBy(() -> new KubernetesInventory(client, KubernetesInventory.Scope.everything("prod")).scan())
                .isInstanceOf(InventoryUnavailableException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("cannot list resource");
    }
}
