package org.cameldicomsecure.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fails when the generated auto-configuration (src/generated, made by tools/generate-spring-boot-starter.py) no
 * longer matches the components' metadata JSON: every component option is a field of the same name, type and
 * default, in the JSON's order, and the auto-configuration is listed in AutoConfiguration.imports. After an option
 * change: {@code python3 tools/generate-spring-boot-starter.py}.
 */
class StarterFreshnessTest {

    private static final String REGENERATE = " (run python3 tools/generate-spring-boot-starter.py)";

    @ParameterizedTest
    @ValueSource(strings = { "dicomtls", "dicomsign", "dicomdeid", "dicomaudit", "dicomweb", "dicommail" })
    void generatedConfigurationMatchesComponentMetadata(String scheme) throws Exception {
        JsonObject json = metadata(scheme);
        JsonObject component = (JsonObject) json.get("component");
        String componentClass = component.getString("javaType");
        String simple = componentClass.substring(componentClass.lastIndexOf('.') + 1);
        String name = simple.substring(0, simple.length() - "Component".length());
        String pkg = componentClass.substring(0, componentClass.lastIndexOf('.')) + ".springboot";

        Class<?> cfg = Class.forName(pkg + "." + name + "ComponentConfiguration");
        ConfigurationProperties cp = cfg.getAnnotation(ConfigurationProperties.class);
        assertNotNull(cp, cfg + " has no @ConfigurationProperties");
        assertEquals("camel.component." + scheme, cp.prefix());

        JsonObject options = (JsonObject) json.get("componentProperties");
        List<String> expected = new ArrayList<>(options.keySet());
        List<String> actual = Arrays.stream(cfg.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.getName().equals("enabled"))
                .map(Field::getName).toList();
        assertEquals(expected, actual, "options of " + scheme + REGENERATE);

        Object instance = cfg.getDeclaredConstructor().newInstance();
        for (String option : expected) {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) options.get(option);
            Field f = cfg.getDeclaredField(option);
            assertEquals(boxed((String) o.get("javaType")), f.getType().getName(),
                    scheme + "." + option + " type" + REGENERATE);
            f.setAccessible(true);
            Object value = f.get(instance);
            Object def = o.get("defaultValue");
            if (def == null) {
                assertEquals(null, value, scheme + "." + option + " default" + REGENERATE);
            } else if (value instanceof Duration d) {
                assertEquals(Long.parseLong(def.toString()), d.toMillis(), scheme + "." + option + " default"
                        + REGENERATE);
            } else {
                assertEquals(def.toString(), String.valueOf(value), scheme + "." + option + " default" + REGENERATE);
            }
            // the getter and setter Spring binds through
            String cap = Character.toUpperCase(option.charAt(0)) + option.substring(1);
            cfg.getMethod("get" + cap);
            cfg.getMethod("set" + cap, f.getType());
        }

        // spring-boot-configuration-processor's metadata (IDE completion) names every option
        String metadata = resource("META-INF/spring-configuration-metadata.json");
        for (String option : expected) {
            String property = "\"camel.component." + scheme + "." + kebab(option) + "\"";
            assertTrue(metadata.contains(property), "spring-configuration-metadata.json lacks " + property);
        }

        String imports = resource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        assertTrue(imports.lines().anyMatch(l -> l.equals(pkg + "." + name + "ComponentAutoConfiguration")),
                "AutoConfiguration.imports lacks " + name + "ComponentAutoConfiguration" + REGENERATE);
        Class.forName(pkg + "." + name + "ComponentAutoConfiguration");
    }

    @org.junit.jupiter.api.Test
    void importsListTheHealthIndicator() throws IOException {
        String imports = resource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        assertTrue(imports.contains(DicomSecureHealthAutoConfiguration.class.getName()));
    }

    private static String kebab(String option) {
        StringBuilder b = new StringBuilder();
        for (char c : option.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String boxed(String javaType) {
        return switch (javaType) {
            case "boolean" -> "java.lang.Boolean";
            case "int" -> "java.lang.Integer";
            case "long" -> "java.lang.Long";
            default -> javaType;
        };
    }

    static JsonObject metadata(String scheme) throws Exception {
        return (JsonObject) Jsoner.deserialize(resource("META-INF/org/cameldicomsecure/component/" + scheme + "/"
                + scheme + ".json"));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = StarterFreshnessTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, "no resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
