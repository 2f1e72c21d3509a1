package io.onloop.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.onloop.testkit.ArchitectureRules;

/**
 * DESIGN.md's dependency rules, checked over everything onloop-app ships with (domain, every
 * adapter, the app): the domain is plain Java, and adapters never depend on one another.
 */
@AnalyzeClasses(packages = "io.onloop", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainHasNoFrameworks = ArchitectureRules.DOMAIN_HAS_NO_FRAMEWORKS;

    @ArchTest
    static final ArchRule domainIsPlainJava = ArchitectureRules.DOMAIN_IS_PLAIN_JAVA;

    @ArchTest
    static final ArchRule adaptersAreIndependent = ArchitectureRules.ADAPTERS_ARE_INDEPENDENT;
}
