package io.onloop.app.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Collection;
import java.util.Map;

/**
 * A query parameter the API takes once ({@code resource}, {@code q}, {@code limit}: a String, not a list) given twice is
 * a 400 that names it. Spring would join the values with a comma: {@code ?resource=a&resource=b} filtered on "a,b",
 * which matches nothing and says nothing.
 */
@Configuration(proxyBeanMethods = false)
class SingleValuedParams implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            for (MethodParameter p : method.getMethodParameters()) {
                RequestParam param = p.getParameterAnnotation(RequestParam.class);
                Class<?> type = p.getParameterType();
                if (param == null || type.isArray() || Collection.class.isAssignableFrom(type)
                        || Map.class.isAssignableFrom(type)) {
                    continue;
                }
                String name = !param.name().isEmpty() ? param.name()
                        : !param.value().isEmpty() ? param.value() : p.getParameterName();
                String[] values = name == null ? null : request.getParameterValues(name);
                if (values != null && values.length > 1) {
                    throw ApiException.badParameter(name, "given " + values.length + " times; it takes one value");
                }
            }
        }
        return true;
    }
}
