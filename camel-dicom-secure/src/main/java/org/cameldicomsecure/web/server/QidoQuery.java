package org.cameldicomsecure.web.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

import org.cameldicomsecure.web.QidoLevel;

/**
 * A QIDO-RS search (PS3.18 §10.6.1): the level, the study and series of the path, and the query parameters as they
 * came (names and values decoded, in order). {@link #matchParameters()} holds the attribute matches ({@code
 * {attributeID}={value}}, where attributeID is a keyword, a tag as 8 hex digits, or a dotted path); the reserved
 * parameters are read by {@link #includeFields()}, {@link #fuzzyMatching()}, {@link #limit()} and {@link #offset()}.
 *
 * @param studyInstanceUid  the {study} of the path, or null
 * @param seriesInstanceUid the {series} of the path, or null
 */
public record QidoQuery(QidoLevel level, String studyInstanceUid, String seriesInstanceUid,
        Map<String, List<String>> parameters) {

    public QidoQuery {
        Objects.requireNonNull(level, "level");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        parameters = java.util.Collections.unmodifiableMap(copy);
        // fail early (400) on bad reserved values
        nonNegative(parameters, "limit");
        nonNegative(parameters, "offset");
        String fuzzy = single(parameters, "fuzzymatching");
        if (fuzzy != null && !fuzzy.equals("true") && !fuzzy.equals("false")) {
            throw new DicomWebStatusException(400, "fuzzymatching must be true or false");
        }
    }

    /** Every value of {@code includefield} (comma separated values split), e.g. {@code all} or keywords. */
    public List<String> includeFields() {
        List<String> out = new ArrayList<>();
        for (String v : parameters.getOrDefault("includefield", List.of())) {
            for (String f : v.split(",")) {
                if (!f.isBlank()) {
                    out.add(f.strip());
                }
            }
        }
        return out;
    }

    public boolean fuzzyMatching() {
        return "true".equals(single("fuzzymatching"));
    }

    public OptionalInt limit() {
        return optionalInt("limit");
    }

    public OptionalInt offset() {
        return optionalInt("offset");
    }

    /** The parameters that are attribute matches: all but includefield, fuzzymatching, limit and offset. */
    public Map<String, List<String>> matchParameters() {
        Map<String, List<String>> m = new LinkedHashMap<>(parameters);
        for (String reserved : List.of("includefield", "fuzzymatching", "limit", "offset")) {
            m.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).equals(reserved));
        }
        return m;
    }

    private String single(String name) {
        return single(parameters, name);
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> v = parameters.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw new DicomWebStatusException(400, "query parameter " + name + " given more than once");
        }
        return v.get(0);
    }

    private OptionalInt optionalInt(String name) {
        String v = single(name);
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    private static void nonNegative(Map<String, List<String>> parameters, String name) {
        String v = single(parameters, name);
        if (v == null) {
            return;
        }
        try {
            if (Integer.parseInt(v) >= 0) {
                return;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new DicomWebStatusException(400, "query parameter " + name + " must be a non-negative integer");
    }
}
