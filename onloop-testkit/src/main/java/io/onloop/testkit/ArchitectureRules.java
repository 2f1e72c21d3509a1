package io.onloop.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of DESIGN.md, shared so that every module can run them:
 * <pre>
 * {@literal @}AnalyzeClasses(packages = "io.onloop")
 * class ArchitectureTest {
 *     {@literal @}ArchTest static final ArchRule adapters = ArchitectureRules.ADAPTERS_ARE_INDEPENDENT;
 * }
 * </pre>
 */
public final class ArchitectureRules {

    /** Frameworks, SDKs and libraries the domain must never see, named so a failure says what leaked. */
    public static final String[] FORBIDDEN_IN_DOMAIN = {
            "org.springframework..", "jakarta..", "javax..", "java.sql..", "org.h2..", "org.postgresql..",
            "com.zaxxer..", "org.flywaydb..", "com.fasterxml..", "tools.jackson..", "software.amazon..",
            "com.amazonaws..", "io.fabric8..", "dev.langchain4j..", "io.micrometer..", "org.apache.kafka..",
            "org.slf4j..", "io.onloop.adapters..", "io.onloop.app..", "io.onloop.testkit.."};

    /** The domain names its forbidden neighbours one by one (a readable failure message). */
    public static final ArchRule DOMAIN_HAS_NO_FRAMEWORKS = noClasses()
            .that().resideInAPackage("io.onloop.domain..")
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN_IN_DOMAIN)
            .as("onloop-domain imports no Spring, Jakarta, SDK, JDBC, JSON or other framework");

    /** ...and, stricter, depends on nothing but itself and the JDK (without JDBC). */
    public static final ArchRule DOMAIN_IS_PLAIN_JAVA = classes()
            .that().resideInAPackage("io.onloop.domain..")
            .should().onlyDependOnClassesThat(resideInAnyPackage("io.onloop.domain..", "java..")
                    .and(DescribedPredicate.not(resideInAPackage("java.sql.."))).or(primitiveOrArray()))
            .as("onloop-domain depends only on java.* (not java.sql) and itself");

    /** Adapters never depend on each other; only onloop-app wires them. */
    public static final ArchRule ADAPTERS_ARE_INDEPENDENT = slices()
            .matching("io.onloop.adapters.(*)..")
            .should().notDependOnEachOther()
            .allowEmptyShould(true)
            .as("adapters never depend on each other");

    private ArchitectureRules() {
    }

    private static DescribedPredicate<JavaClass> primitiveOrArray() {
        return DescribedPredicate.describe("a primitive or an array", c -> c.isPrimitive() || c.isArray());
    }
}
