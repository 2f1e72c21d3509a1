package io.onloop.domain.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceTest {

    @Test
    void aPrometheusInstanceIsNamedByItsHostNotItsPort() {
        assertThat(Resource.host("10.0.0.1:9100")).isEqualTo(new Resource("host", "10.0.0.1:9100", "10.0.0.1"));
        assertThat(Resource.host("[::1]:9100").name()).isEqualTo("::1");
        assertThat(Resource.host("db-1.prod.internal").name()).isEqualTo("db-1.prod.internal");
        assertThat(Resource.host("fe80::1").name()).as("an IPv6 address without brackets has no port").isEqualTo("fe80::1");
        assertThat(Resource.host(" ")).isEqualTo(Resource.UNKNOWN);
    }
}
