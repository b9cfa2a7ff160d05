package org.cameldicomsecure.springboot;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the "dicomSecure" health indicator ({@link DicomSecureHealthIndicator}). */
@ConfigurationProperties(prefix = "management.health.dicom-secure")
public class DicomSecureHealthProperties {

    /** Whether to report certificate expiry and audit sink state as the "dicomSecure" health indicator. */
    private boolean enabled = true;
    /**
     * A certificate that expires within this time is reported with a warning (status stays UP); an expired one
     * makes the indicator DOWN.
     */
    private Duration certificateWarning = Duration.ofDays(30);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getCertificateWarning() {
        return certificateWarning;
    }

    public void setCertificateWarning(Duration certificateWarning) {
        this.certificateWarning = certificateWarning;
    }
}
