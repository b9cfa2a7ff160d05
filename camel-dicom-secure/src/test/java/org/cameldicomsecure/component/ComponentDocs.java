package org.cameldicomsecure.component;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The generated component JSON is the source of truth: every option and header in it must be in the .adoc. */
public final class ComponentDocs {

    private ComponentDocs() {
    }

    /** Fails listing each option or header of {@code scheme}'s generated JSON that its .adoc does not name. */
    public static void assertEverythingDocumented(String scheme) throws Exception {
        String json;
        String resource = "/META-INF/org/cameldicomsecure/component/" + scheme + "/" + scheme + ".json";
        try (InputStream in = ComponentDocs.class.getResourceAsStream(resource)) {
            assertNotNull(in, "generated " + scheme + ".json missing");
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String adoc = Files.readString(Path.of("src/main/docs/" + scheme + "-component.adoc"));
        List<String> missing = new ArrayList<>();
        for (String section : List.of("componentProperties", "properties", "headers")) {
            int start = json.indexOf("\"" + section + "\": {");
            assertTrue(start >= 0, section);
            Matcher m = Pattern.compile("\\n    \"([A-Za-z]+)\": \\{").matcher(json);
            m.region(start, nextSection(json, start));
            while (m.find()) {
                String name = m.group(1);
                if (!adoc.contains("*" + name + "*") && !adoc.contains("`" + name + "`")) {
                    missing.add(section + "." + name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "not in " + scheme + "-component.adoc: " + missing);
    }

    private static int nextSection(String json, int from) {
        int best = json.length();
        for (String s : List.of("\"componentProperties\": {", "\"headers\": {", "\"properties\": {")) {
            int i = json.indexOf(s, from + 5);
            if (i > 0 && i < best) {
                best = i;
            }
        }
        return best;
    }
}
