package io.onloop.app.rightsizing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.onloop.adapters.kubernetes.KubernetesInventory;
import io.onloop.adapters.prometheus.PrometheusMetricsQuery;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.rightsizing.ContainerRightsizer;
import io.onloop.domain.rightsizing.usage.KubernetesRecommendationSource;
import io.onloop.domain.rightsizing.usage.KubernetesUsage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One Kubernetes cluster as a recommendation source: its workloads from the API server (fabric8: in-cluster
 * service account, or the kubeconfig), their usage from the Prometheus that scrapes it. Only when
 * {@code onloop.rightsizing.kubernetes.prometheus-url} is set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("onloop.rightsizing.kubernetes.prometheus-url")
public class KubernetesRightsizingConfig {

    /**
     * @param prometheusUrl  the Prometheus with cAdvisor and kube-state-metrics series for this cluster
     * @param prometheusBearerToken a bearer token towards it; never logged
     * @param environment    the name recommendations carry (the cluster's name)
     * @param namespaces     the namespaces to look at; empty for all
     * @param labelSelector  only workloads with these labels (Kubernetes selector syntax)
     * @param skipKubeSystem leave kube-system alone
     * @param history        how much usage each scan reads
     * @param step           the usage resolution
     * @param tenant         the tenant the cluster belongs to; default {@code onloop.bootstrap.tenant}
     * @param pricingFile    a CSV of price overrides in the catalog's own format (docs/rightsizing.md)
     */
    @ConfigurationProperties("onloop.rightsizing.kubernetes")
    public record KubernetesRightsizingProperties(URI prometheusUrl, String prometheusBearerToken,
                                                  @DefaultValue("cluster") String environment,
                                                  @DefaultValue List<String> namespaces, String labelSelector,
                                                  @DefaultValue("true") boolean skipKubeSystem,
                                                  @DefaultValue("8d") Duration history, @DefaultValue("5m") Duration step,
                                                  String tenant, Path pricingFile) {
        @Override
        public String toString() {
            return "KubernetesRightsizingProperties[prometheusUrl=" + prometheusUrl + ", environment=" + environment + "]";
        }
    }

    @Bean(destroyMethod = "close")
    KubernetesClient rightsizingKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KubernetesRecommendationSource kubernetesRecommendations(KubernetesRightsizingProperties props, OnloopProperties onloop,
                                                             KubernetesClient client, Clock clock) throws IOException {
        var prometheus = new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(props.prometheusUrl(), null, null,
                props.prometheusBearerToken(), null, null));
        var inventory = new KubernetesInventory(client, new KubernetesInventory.Scope(props.environment(), props.namespaces(),
                props.labelSelector(), props.skipKubeSystem()));
        return new KubernetesRecommendationSource("kubernetes/" + props.environment(),
                props.tenant() != null ? props.tenant() : onloop.bootstrap().tenant(), inventory,
                new KubernetesUsage(prometheus), new ContainerRightsizer(RightsizingWiring.catalog(props.pricingFile()), clock), clock, props.history(), props.step());
    }
}
