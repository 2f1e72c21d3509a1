package io.onloop.app.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * A query parameter given once and bound to a list is that one value, not split on commas and trimmed, as Spring would
 * have it: {@code label=note=a, b} is one label whose value holds a comma. The lists that take comma-separated values
 * ({@code status=open,acknowledged}) split them themselves ({@link QueryParams#enums}).
 */
@Configuration(proxyBeanMethods = false)
class UnsplitQueryParams implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(new Converter<String, List<String>>() {
            @Override
            public List<String> convert(String value) {
                return List.of(value);
            }
        });
    }
}
