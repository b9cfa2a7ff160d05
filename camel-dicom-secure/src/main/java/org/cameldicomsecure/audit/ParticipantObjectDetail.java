package org.cameldicomsecure.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A ParticipantObjectDetail: a type (implementation defined text, an xsd:token) and a value written base64.
 *
 * @param type  the type, e.g. "TransferSyntax", "Alert Description", "ContainsSOPClass"
 * @param value the raw value bytes (written base64); copied
 */
public record ParticipantObjectDetail(String type, byte[] value) {

    public ParticipantObjectDetail {
        CodedValue.requireText(type, "ParticipantObjectDetail type");
        value = Objects.requireNonNull(value, "ParticipantObjectDetail value").clone();
    }

    /** A detail whose value is the UTF-8 bytes of {@code text}. */
    public static ParticipantObjectDetail of(String type, String text) {
        return new ParticipantObjectDetail(type, Objects.requireNonNull(text, "value").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParticipantObjectDetail d && type.equals(d.type) && Arrays.equals(value, d.value);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ParticipantObjectDetail[" + type + ", " + value.length + " bytes]";
    }
}
