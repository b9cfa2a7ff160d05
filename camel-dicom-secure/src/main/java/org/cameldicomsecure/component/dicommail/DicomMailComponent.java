package org.cameldicomsecure.component.dicommail;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code dicommail} component: {@code dicommail:encode} makes secure DICOM email (PS3.15 B.8, the
 * STD-GEN-SEC-ZIP-MAIL profile of PS3.11 Annex L) of DICOM instances for camel-mail's smtp/smtps producer;
 * {@code dicommail:decode} decrypts and verifies such mail (from camel-mail's imap/imaps/pop3 consumer) into its
 * instances.
 */
@Component("dicommail")
public class DicomMailComponent extends DefaultComponent {

    static final Set<String> OPERATIONS = Set.of("encode", "decode");

    @Metadata(description = "Default options for all endpoints of this component")
    private DicomMailConfiguration configuration = new DicomMailConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomMailConfiguration conf = configuration.copy();
        String op = (remaining.startsWith("//") ? remaining.substring(2) : remaining).trim().toLowerCase(Locale.ROOT);
        if (!OPERATIONS.contains(op)) {
            throw new IllegalArgumentException("dicommail URI must be dicommail:encode or dicommail:decode, not "
                    + "'dicommail:" + remaining + "'");
        }
        conf.setOperation(op);
        DicomMailEndpoint endpoint = new DicomMailEndpoint(uri, this, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public DicomMailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomMailConfiguration configuration) {
        this.configuration = configuration;
    }
}
