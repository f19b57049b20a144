package io.stockline.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

    private static final String SCHEMAS = "io.stockline.schemas..";
    private static final String DOMAIN = "io.stockline.ledger..";
    private static final String TOPOLOGY = "io.stockline.topology..";
    private static final String SERVICE = "io.stockline.app..";
    private static final String REPORTING = "io.stockline.reporting..";
    private static final String BENCH = "io.stockline.bench..";
    private static final String LAUNCHER = "io.stockline.cli..";
    private static final String TEST_KIT = "io.stockline.testkit..";

    /** The ledger's arithmetic and state machines are plain Java: no Kafka, no Avro, no JSON. */
    @ArchTest
    static final ArchRule domainImportsNothingButJava = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN);

    /** schemas <- topology <- query-api and connectors <- bench and the launcher; nothing depends on the launcher. */
    @ArchTest
    static final ArchRule modulesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("schemas").definedBy(SCHEMAS)
            .layer("topology").definedBy(DOMAIN, TOPOLOGY)
            .layer("query-api").definedBy(SERVICE)
            .layer("connectors").definedBy(REPORTING)
            .layer("bench").definedBy(BENCH)
            .layer("launcher").definedBy(LAUNCHER)
            .layer("test kit").definedBy(TEST_KIT)
            .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
            .whereLayer("bench").mayOnlyBeAccessedByLayers("launcher")
            .whereLayer("query-api").mayOnlyBeAccessedByLayers("bench", "launcher")
            .whereLayer("connectors").mayOnlyBeAccessedByLayers("launcher")
            .whereLayer("topology").mayOnlyBeAccessedByLayers("query-api", "connectors", "bench", "launcher")
            .whereLayer("schemas").mayOnlyBeAccessedByLayers("topology", "query-api", "connectors", "bench", "launcher")
            .whereLayer("test kit").mayNotBeAccessedByAnyLayer();

    /** The test kit serves every module's tests, so it may use none of them. */
    @ArchTest
    static final ArchRule testKitStandsAlone = noClasses().that().resideInAPackage(TEST_KIT)
            .should().dependOnClassesThat().resideInAnyPackage(SCHEMAS, DOMAIN, TOPOLOGY, SERVICE, REPORTING, BENCH,
                    LAUNCHER);

    /**
     * No two packages import each other, directly or round a loop. One known loop is let through for now: the
     * topology's wiring ({@code LedgerTopology}) builds the processors, which read the names the wiring package
     * holds; issue #18 rewrites both, and then this exception goes.
     */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.stockline.(**)").should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("io.stockline.topology"),
                    resideInAPackage("io.stockline.topology.processor"));

    /** Main classes of every module, whether Maven hands them over as directories or jars; no test classes. */
    static final class MainClassesOnly implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

        @Override
        public boolean includes(final Location location) {
            return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.matches(TEST_JAR);
        }
    }
}
