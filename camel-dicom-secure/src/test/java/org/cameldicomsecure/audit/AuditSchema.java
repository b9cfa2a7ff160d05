package org.cameldicomsecure.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.IncorrectSchemaException;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.rng.CompactSchemaReader;

/**
 * Test helper: validates audit messages with Jing against the project's copy of the standard's schema
 * ({@code org/cameldicomsecure/audit/audit-message.rnc}, PS3.15 A.5.1.1, RELAX NG Compact). The schema is compiled
 * once; validation is thread safe (one validator per call).
 *
 * <pre>{@code
 * AuditSchema.assertValid(AuditXml.toBytes(message));
 * List<String> errors = AuditSchema.errors(bytes);   // empty when valid
 * }</pre>
 */
public final class AuditSchema {

    /** The schema resource, on the main class path. */
    public static final String RESOURCE = "/org/cameldicomsecure/audit/audit-message.rnc";

    private static final Schema SCHEMA = load();

    private AuditSchema() {
    }

    private static Schema load() {
        URL url = AuditSchema.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("schema resource " + RESOURCE + " not on the class path");
        }
        List<String> errors = new ArrayList<>();
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, collector(errors));
        try {
            return CompactSchemaReader.getInstance().createSchema(new InputSource(url.toString()), props.toPropertyMap());
        } catch (IOException | SAXException | IncorrectSchemaException e) {
            throw new IllegalStateException("cannot load " + RESOURCE + ": " + e + " " + errors, e);
        }
    }

    /**
     * The schema errors of one message (line:column: message), or an empty list when it is valid. A message that is
     * not well-formed XML gives its parse error.
     */
    public static List<String> errors(byte[] xml) {
        List<String> errors = new ArrayList<>();
        ErrorHandler handler = collector(errors);
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, handler);
        Validator validator = SCHEMA.createValidator(props.toPropertyMap());
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            XMLReader reader = f.newSAXParser().getXMLReader();
            reader.setContentHandler(validator.getContentHandler());
            if (validator.getDTDHandler() != null) {
                reader.setDTDHandler(validator.getDTDHandler());
            }
            reader.setErrorHandler(handler);
            reader.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXParseException e) {
            if (errors.isEmpty() || !errors.get(errors.size() - 1).endsWith(e.getMessage())) {
                errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            }
        } catch (SAXException | IOException | ParserConfigurationException e) {
            errors.add(e.toString());
        }
        return errors;
    }

    /** True when the message is valid against the schema. */
    public static boolean isValid(byte[] xml) {
        return errors(xml).isEmpty();
    }

    /** Throws an {@link AssertionError} listing the schema errors unless the message is valid. */
    public static void assertValid(byte[] xml) {
        List<String> errors = errors(xml);
        if (!errors.isEmpty()) {
            throw new AssertionError("audit message not valid against PS3.15 A.5.1.1 schema: " + errors);
        }
    }

    /** Writes the message with {@link AuditXml}, validates it, and returns the bytes. */
    public static byte[] assertValid(AuditMessage message) {
        byte[] xml = AuditXml.toBytes(message);
        assertValid(xml);
        return xml;
    }

    private static ErrorHandler collector(List<String> errors) {
        return new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // warnings are not errors
            }

            @Override
            public void error(SAXParseException e) {
                errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
                throw e;
            }
        };
    }
}
