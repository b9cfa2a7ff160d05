package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.CompactSchemaReader;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Jing with the project's copy of the PS3.15 A.5.1.1 schema (the resource of camel-dicom-secure), for the ITs that
 * check what real peers received. Not thread safe: one per test class.
 */
public final class AuditSchemaValidation {

    private final ValidationDriver driver;

    public AuditSchemaValidation() throws IOException, SAXException {
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, new DefaultHandler() {
            @Override
            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        driver = new ValidationDriver(props.toPropertyMap(), CompactSchemaReader.getInstance());
        assertTrue(driver.loadSchema(new InputSource(
                AuditSchemaValidation.class.getResource("/org/cameldicomsecure/audit/audit-message.rnc").toString())));
    }

    /** Fails with Jing's first error when {@code xml} is not a valid audit message. */
    public void assertValid(String xml) throws IOException {
        try {
            assertTrue(driver.validate(new InputSource(new StringReader(xml))), xml);
        } catch (SAXException e) {
            fail("not a valid audit message (" + e.getMessage() + "): " + xml);
        }
    }
}
