package org.cameldicomsecure.it.peers;

import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

/** JSON for the peers' REST APIs, through nimbus-jose-jwt's JSON utilities (already on the classpath). */
final class Json {

    private Json() {
    }

    /** A JSON text of a map (nested maps, lists, strings, numbers, booleans). */
    static String write(Map<String, ?> value) {
        return JSONObjectUtils.toJSONString(value);
    }

    /** A text that must be a JSON object. */
    static Map<String, Object> parseObject(String text) {
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(text), e);
        }
    }

    /** A text that must be a JSON array. */
    static List<Object> parseArray(String text) {
        try {
            return JSONArrayUtils.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON array: " + abbreviate(text), e);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "... (" + s.length() + " chars)";
    }
}
