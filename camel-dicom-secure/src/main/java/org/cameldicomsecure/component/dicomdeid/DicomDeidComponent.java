package org.cameldicomsecure.component.dicomdeid;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** The {@code dicomdeid} component: {@code dicomdeid:deidentify} and {@code dicomdeid:reidentify}. */
@Component("dicomdeid")
public class DicomDeidComponent extends DefaultComponent {

    @Metadata(description = "Default options for all endpoints of this component")
    private DicomDeidConfiguration configuration = new DicomDeidConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DicomDeidConfiguration conf = configuration.copy();
        String op = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        op = op.trim().toLowerCase(Locale.ROOT);
        if (!op.equals("deidentify") && !op.equals("reidentify")) {
            throw new IllegalArgumentException("dicomdeid URI must be dicomdeid:deidentify or dicomdeid:reidentify, not "
                    + "'dicomdeid:" + remaining + "'");
        }
        conf.setOperation(op);
        DicomDeidEndpoint endpoint = new DicomDeidEndpoint(uri, this, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public DicomDeidConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomDeidConfiguration configuration) {
        this.configuration = configuration;
    }
}
