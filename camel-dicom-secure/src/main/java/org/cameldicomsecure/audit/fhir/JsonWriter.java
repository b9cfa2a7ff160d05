package org.cameldicomsecure.audit.fhir;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer (RFC 8259) into a {@link StringBuilder}: objects, arrays, strings, booleans and
 * integers, no whitespace, so a document is always one line. The writer keeps track of commas and checks that names
 * appear only inside objects and that every container is closed; it throws {@link IllegalStateException} on misuse.
 *
 * <p>Strings are escaped per RFC 8259 section 7: quotation mark and reverse solidus as {@code \"} and {@code \\},
 * the control characters U+0000 to U+001F as {@code \b \f \n \r \t} or a six-character escape (reverse solidus,
 * {@code u}, four lower-case hex digits), and also U+007F and the C1 controls U+0080 to U+009F, the line and
 * paragraph separators U+2028 and U+2029 (which JavaScript treats as line ends) and any unpaired surrogate as such an
 * escape, so the line survives any tool that splits on line ends and an invalid UTF-16 string is never silently
 * replaced. Every other character, including those outside the Basic Multilingual Plane (a well-formed surrogate
 * pair), is written as itself; the caller encodes the result as UTF-8.
 */
final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    /** For each open container: true for an object. */
    private final Deque<Boolean> objects = new ArrayDeque<>();
    /** For each open container: true once it has a member (a comma is due before the next). */
    private final Deque<Boolean> nonEmpty = new ArrayDeque<>();
    private boolean afterName;
    private boolean done;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        objects.push(true);
        nonEmpty.push(false);
        return this;
    }

    JsonWriter endObject() {
        close(true, '}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        objects.push(false);
        nonEmpty.push(false);
        return this;
    }

    JsonWriter endArray() {
        close(false, ']');
        return this;
    }

    /** The name of the next member of the current object. */
    JsonWriter name(String name) {
        if (objects.isEmpty() || !objects.peek() || afterName) {
            throw new IllegalStateException("a JSON name belongs directly inside an object: " + name);
        }
        comma();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        if (value == null) {
            throw new IllegalStateException("null JSON string value");
        }
        beforeValue();
        string(value);
        return scalarDone();
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return scalarDone();
    }

    JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return scalarDone();
    }

    /** A member with a string value. */
    JsonWriter member(String name, String value) {
        return name(name).value(value);
    }

    /** A member with a string value, left out when the value is null or empty (FHIR forbids empty strings). */
    JsonWriter optional(String name, String value) {
        return value == null || value.isEmpty() ? this : member(name, value);
    }

    /** True once the top-level value is complete. */
    boolean isComplete() {
        return done;
    }

    private JsonWriter scalarDone() {
        if (objects.isEmpty()) {
            done = true;
        }
        return this;
    }

    private void beforeValue() {
        if (done) {
            throw new IllegalStateException("the JSON document is already complete");
        }
        if (!objects.isEmpty()) {
            if (objects.peek()) {
                if (!afterName) {
                    throw new IllegalStateException("a value inside a JSON object needs a name first");
                }
                afterName = false;
            } else {
                comma();
            }
        }
    }

    private void comma() {
        if (nonEmpty.peek()) {
            out.append(',');
        } else {
            nonEmpty.pop();
            nonEmpty.push(true);
        }
    }

    private void close(boolean object, char c) {
        if (objects.isEmpty() || objects.peek() != object || afterName) {
            throw new IllegalStateException("unbalanced JSON: cannot close with " + c);
        }
        objects.pop();
        nonEmpty.pop();
        out.append(c);
        if (objects.isEmpty()) {
            done = true;
        }
    }

    private void string(String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        unicode(c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicode(c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicode(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicode(char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
