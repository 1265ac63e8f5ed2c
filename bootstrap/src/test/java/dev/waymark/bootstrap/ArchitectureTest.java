package dev.waymark.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The hexagonal layering as executable rules over the production classes of every module
 * (docs/architecture.md, docs/adr/0001-ports-speak-reactor.md).
 */
@AnalyzeClasses(packages = "dev.waymark",
    importOptions = {ArchitectureTest.ProductionCodeOnly.class})
class ArchitectureTest {

  /** Leaves out test classes, including those shipped in test-jars (contracts, fixtures). */
  static final class ProductionCodeOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/") && !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule layers = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("Domain").definedBy("dev.waymark.domain..")
      .layer("Application").definedBy("dev.waymark.application..")
      .layer("Adapters").definedBy("dev.waymark.adapters..")
      .layer("Bootstrap").definedBy("dev.waymark.bootstrap..")
      .whereLayer("Bootstrap").mayNotBeAccessedByAnyLayer()
      .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Bootstrap")
      .whereLayer("Application").mayOnlyBeAccessedByLayers("Adapters", "Bootstrap")
      .whereLayer("Domain").mayOnlyBeAccessedByLayers("Application", "Adapters", "Bootstrap")
      .because("dependencies point inwards: adapters plug into the core, only bootstrap wires"
          + " them (docs/architecture.md)");

  @ArchTest
  static final ArchRule domainDependsOnTheJdkAndReactorOnly = classes()
      .that().resideInAPackage("dev.waymark.domain..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("dev.waymark.domain..", "java..", "reactor.core.publisher..")
      .because("the domain is the idempotency policy and the ports; it must run and be tested"
          + " without any framework (docs/adr/0001-ports-speak-reactor.md)");

  @ArchTest
  static final ArchRule applicationDependsOnTheDomainOnly = classes()
      .that().resideInAPackage("dev.waymark.application..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("dev.waymark.application..", "dev.waymark.domain..", "java..",
          "reactor.core.publisher..")
      .because("use cases orchestrate the domain through ports; atomicity is the UnitOfWork"
          + " port, not an annotation (docs/adr/0002-atomic-keyed-upload.md)");

  @ArchTest
  static final ArchRule noFrameworkInTheCore = noClasses()
      .that().resideInAnyPackage("dev.waymark.domain..", "dev.waymark.application..")
      .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..",
          "javax..", "io.r2dbc..", "tools.jackson..", "com.fasterxml.jackson..", "io.lettuce..",
          "io.micrometer..")
      .because("Spring, persistence and serialization belong in adapters and bootstrap, so the"
          + " core outlives any of them (docs/adr/0001-ports-speak-reactor.md)");

  @ArchTest
  static final ArchRule adaptersAreIndependent = slices()
      .matching("dev.waymark.adapters.(*)..")
      .should().notDependOnEachOther()
      .because("each adapter is one replaceable module; a team extending Waymark adds or swaps"
          + " one without touching the others (docs/architecture.md)");

  @ArchTest
  static final ArchRule useCasesAreNotSpringBeans = noClasses()
      .that().resideInAPackage("dev.waymark.application..")
      .should().beAnnotatedWith("org.springframework.stereotype.Component")
      .orShould().beAnnotatedWith("org.springframework.stereotype.Service")
      .because("use cases are built by explicit @Bean methods in bootstrap");
}
