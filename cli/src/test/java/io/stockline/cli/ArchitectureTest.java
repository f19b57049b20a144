package io.stockline.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * Who may import whom, checked on every build. The launcher's tests see every module's classes, so the rules
 * live here: a wrong import fails {@code mvn verify} rather than a review.
 */
@AnalyzeClasses(packages = "io.stockline", importOptions = ArchitectureTest.MainClassesOnly.class)
class ArchitectureTest {

    private static final String DOMAIN = "io.stockline.ledger..";

    /** The ledger's arithmetic and state machines are plain Java: no Kafka, no Avro, no JSON. */
    @ArchTest
    static final ArchRule domainImportsNothingButJava = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN);

    /**
     * schemas <- topology <- query-api and connectors <- bench and the launcher; nothing depends on the launcher,
     * and the test kit, which serves every module's tests, neither uses nor is used by any main class.
     */
    @ArchTest
    static final ArchRule modulesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("schemas").definedBy("io.stockline.schemas..")
            .layer("topology").definedBy(DOMAIN, "io.stockline.topology..")
            .layer("query-api").definedBy("io.stockline.app..")
            .layer("connectors").definedBy("io.stockline.reporting..")
            .layer("bench").definedBy("io.stockline.bench..")
            .layer("launcher").definedBy("io.stockline.cli..")
            .layer("test kit").definedBy("io.stockline.testkit..")
            .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
            .whereLayer("bench").mayOnlyBeAccessedByLayers("launcher")
            .whereLayer("query-api").mayOnlyBeAccessedByLayers("bench", "launcher")
            .whereLayer("connectors").mayOnlyBeAccessedByLayers("launcher")
            .whereLayer("topology").mayOnlyBeAccessedByLayers("query-api", "connectors", "bench", "launcher")
            .whereLayer("schemas").mayOnlyBeAccessedByLayers("topology", "query-api", "connectors", "bench", "launcher")
            .whereLayer("test kit").mayNotBeAccessedByAnyLayer();

    /** No two packages import each other, directly or round a loop. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.stockline.(**)").should().beFreeOfCycles();

    /** Main classes of every module, whether Maven hands them over as directories or jars; no test classes. */
    static final class MainClassesOnly implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

        @Override
        public boolean includes(final Location location) {
            return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.matches(TEST_JAR);
        }
    }
}
