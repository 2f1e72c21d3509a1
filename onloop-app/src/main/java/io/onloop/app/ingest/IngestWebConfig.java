package io.onloop.app.ingest;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts the ingest filter on its path, ahead of every other filter and beside (not behind) Spring MVC's dispatcher. */
@Configuration(proxyBeanMethods = false)
class IngestWebConfig {

    /**
     * The first filter answers ingest requests itself, so no other filter runs for them: Spring Security's
     * firewall (header-name and header-value regexes on every header read), the HTTP observation and the
     * request-context filters were 17% of an ingest request's CPU (docs/benchmarks.md). Ingest checks its
     * own source tokens, keeps its own metrics, and the path reaches nothing but this filter.
     */
    @Bean
    FilterRegistrationBean<IngestFilter> ingestFilterRegistration(IngestFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(IngestFilter.PATH + "*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("onloop-ingest");
        return registration;
    }

    /** The endpoint is outside MVC, so springdoc cannot see it: describe it by hand. */
    @Bean
    OpenApiCustomizer ingestOpenApi(IngestFormats formats) {
        var operation = new Operation().addTagsItem("ingest").summary("Receive a native webhook payload")
                .description("Authenticate with the source's token: Authorization: Bearer, HTTP Basic (token as password), "
                        + "X-Onloop-Token, or ?token=. Answers 202 once the events are in the journal on disk; they are "
                        + "grouped into incidents moments later. Send Prefer: wait=<seconds> to wait for the incident ids.")
                .addParametersItem(new PathParameter().name("format").schema(new StringSchema()._enum(formats.ids())))
                .addParametersItem(new HeaderParameter().name("Prefer").required(false).schema(new StringSchema()
                        .example("wait=10")))
                .requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType("application/json", new MediaType())
                        .addMediaType("text/plain", new MediaType())))
                .responses(new ApiResponses()
                        .addApiResponse("202", new ApiResponse().description("accepted: the events are on disk"))
                        .addApiResponse("400", new ApiResponse().description("invalid payload (problem+json with a JSON Pointer)"))
                        .addApiResponse("401", new ApiResponse().description("missing or unknown source token"))
                        .addApiResponse("413", new ApiResponse().description("body over the limit"))
                        .addApiResponse("503", new ApiResponse().description("backlog full: retry after Retry-After")));
        return api -> api.path(IngestFilter.PATH + "{format}", new PathItem().post(operation));
    }
}
