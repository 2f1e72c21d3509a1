package io.onloop.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/** onloop's single Spring Boot application: ingest endpoints, REST API, security and wiring. */
// Users live in the AccessStore; Boot's generated in-memory user (and its logged password) must not exist.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class OnloopApplication {

    public static void main(String[] args) {
        SpringApplication.run(OnloopApplication.class, args);
    }
}
