package io.onloop.testkit;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps onloop-domain free of frameworks (DESIGN.md, "Rules worth keeping"). */
@AnalyzeClasses(packages = "io.onloop.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainArchitectureTest {

    @ArchTest
    static final ArchRule domainHasNoFrameworks = ArchitectureRules.DOMAIN_HAS_NO_FRAMEWORKS;

    @ArchTest
    static final ArchRule domainIsPlainJava = ArchitectureRules.DOMAIN_IS_PLAIN_JAVA;
}
