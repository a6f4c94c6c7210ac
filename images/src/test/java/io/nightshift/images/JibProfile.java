package io.nightshift.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Jib configuration of a module's {@code image} profile, as written in its pom, with {@code ${...}} properties
 * filled in from the module's and the parent's {@code <properties>} (and {@code project.version}).
 */
final class JibProfile {

    private static final String CONFIGURATION =
            "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";

    private final Node configuration;
    private final Map<String, String> properties;
    private final XPath xpath = XPathFactory.newInstance().newXPath();

    private JibProfile(Node configuration, Map<String, String> properties) {
        this.configuration = configuration;
        this.properties = properties;
    }

    static JibProfile of(Path modulePom, Path parentPom) throws Exception {
        Document module = parse(modulePom);
        Map<String, String> properties = new HashMap<>(properties(parse(parentPom)));
        properties.putAll(properties(module));
        properties.put("project.version", System.getProperty("project.version"));
        Node configuration = (Node) XPathFactory.newInstance().newXPath().evaluate(CONFIGURATION, module, XPathConstants.NODE);
        if (configuration == null) {
            throw new AssertionError(modulePom + " has no jib-maven-plugin configuration in a profile 'image'");
        }
        return new JibProfile(configuration, properties);
    }

    String fromImage() throws Exception {
        return text("from/image");
    }

    String toImage() throws Exception {
        return text("to/image");
    }

    String user() throws Exception {
        return text("container/user");
    }

    String workingDirectory() throws Exception {
        return text("container/workingDirectory");
    }

    String mainClass() throws Exception {
        return text("container/mainClass");
    }

    String containerizingMode() throws Exception {
        return text("containerizingMode");
    }

    List<String> jvmFlags() throws Exception {
        return texts("container/jvmFlags/jvmFlag");
    }

    List<String> args() throws Exception {
        return texts("container/args/arg");
    }

    /** An explicit entrypoint, or null; with one, Jib ignores jvmFlags and mainClass. */
    String entrypoint() throws Exception {
        return text("container/entrypoint");
    }

    private String text(String path) throws Exception {
        Node node = (Node) xpath.evaluate(path, configuration, XPathConstants.NODE);
        return node == null ? null : resolve(node.getTextContent().strip());
    }

    private List<String> texts(String path) throws Exception {
        NodeList nodes = (NodeList) xpath.evaluate(path, configuration, XPathConstants.NODESET);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(resolve(nodes.item(i).getTextContent().strip()));
        }
        return values;
    }

    private String resolve(String value) {
        String resolved = value;
        for (int round = 0; round < 10 && resolved.contains("${"); round++) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(resolved);
            resolved = m.replaceAll(r -> Matcher.quoteReplacement(properties.getOrDefault(r.group(1), r.group())));
        }
        return resolved;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Map<String, String> properties(Document pom) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate("/project/properties/*", pom, XPathConstants.NODESET);
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            properties.put(nodes.item(i).getNodeName(), nodes.item(i).getTextContent().strip());
        }
        return properties;
    }
}
