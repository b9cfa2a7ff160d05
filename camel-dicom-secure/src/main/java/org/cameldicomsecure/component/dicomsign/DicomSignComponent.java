package org.cameldicomsecure.component.dicomsign;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code dicomsign} component: {@code dicomsign:sign}, {@code verify} and {@code remove} for DICOM digital
 * signatures (PS3.15 Annex C), {@code encrypt} and {@code decrypt} for Secure DICOM Files (PS3.15 Annex D).
 */
@Component("dicomsign")
public class DicomSignComponent extends DefaultComponent {

    static final Set<String> OPERATIONS = Set.of("sign", "verify", "remove", "encrypt", "decrypt");

    @Metadata(description = "Default options for all endpoints of this component")
    private DicomSignConfiguration configuration = new DicomSignConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomSignConfiguration conf = configuration.copy();
        String op = (remaining.startsWith("//") ? remaining.substring(2) : remaining).trim().toLowerCase(Locale.ROOT);
        if (!OPERATIONS.contains(op)) {
            throw new IllegalArgumentException("dicomsign URI must be dicomsign:sign, verify, remove, encrypt or "
                    + "decrypt, not 'dicomsign:" + remaining + "'");
        }
        conf.setOperation(op);
        DicomSignEndpoint endpoint = new DicomSignEndpoint(uri, this, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public DicomSignConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomSignConfiguration configuration) {
        this.configuration = configuration;
    }
}
