package io.kube4j.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of ARCHITECTURE.md that the compiler cannot check. */
class TestArchitecture {
    private static final JavaClasses KUBE4J = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kube4j");

    @Test
    void onlyTheApiServerTouchesAStore() {
        noClasses().that().resideOutsideOfPackages("io.kube4j.apiserver..", "io.kube4j.api.storage..",
                        "io.kube4j.storage..", "io.kube4j.runtime.assembly..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.kube4j.api.storage.Store")
                .because("components meet only through the API server (ARCHITECTURE.md, rule 1)")
                .check(KUBE4J);
    }

    @Test
    void coreApiUsesNoRuntimeLibraries() {
        noClasses().that().resideInAPackage("io.kube4j.api..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "org.eclipse.jetty..",
                        "io.github.classgraph..", "org.yaml..", "io.kube4j.runtime..", "io.kube4j.apiserver..")
                .check(KUBE4J);
    }

    @Test
    void pluginsDependOnCoreApiOnly() {
        noClasses().that().resideInAnyPackage("io.kube4j.storage..", "io.kube4j.auth..", "io.kube4j.admission..",
                        "io.kube4j.cri..", "io.kube4j.network..", "io.kube4j.controllers..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kube4j.runtime..", "io.kube4j.apiserver..")
                .check(KUBE4J);
    }
}
