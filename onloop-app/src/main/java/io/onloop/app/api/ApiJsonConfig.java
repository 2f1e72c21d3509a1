package io.onloop.app.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

import java.time.Instant;

/**
 * API bodies mean what they say (README). application.yaml's {@code spring.jackson} settings refuse unknown members
 * and coercion into numbers and booleans; what Spring Boot has no property for is here: a number or a boolean is not
 * text ({@code {"comment": 5}}), a number is not a time ({@code "endsAt": 1893456000}: seconds or milliseconds?),
 * and a member given twice is refused rather than the last one winning.
 */
@Configuration(proxyBeanMethods = false)
class ApiJsonConfig {

    @Bean
    JsonMapperBuilderCustomizer apiBodiesSayWhatTheyMean() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("instants-as-text").addDeserializer(Instant.class, new InstantText()));
    }

    /** Jackson's own Instant reader, for text only (it takes numbers as epoch seconds and has no switch for that). */
    private static final class InstantText extends StdDeserializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
