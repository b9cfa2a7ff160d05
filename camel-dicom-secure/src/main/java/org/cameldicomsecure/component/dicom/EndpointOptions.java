package org.cameldicomsecure.component.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parsing of endpoint option values shared by the components: lists and fixed choices, with errors naming them. */
public final class EndpointOptions {

    private EndpointOptions() {
    }

    /** The path an option names, or null when the option is not set (null or blank). */
    public static java.nio.file.Path path(String option) {
        return option == null || option.isBlank() ? null : java.nio.file.Path.of(option);
    }

    /** The trimmed, non-blank items of a comma-separated value ({@code null}: none). */
    public static List<String> split(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** The certificates of the PEM files {@code files} (comma-separated) names; errors name {@code option}. */
    public static List<java.security.cert.X509Certificate> certificates(String option, String files) {
        List<java.security.cert.X509Certificate> certs = new ArrayList<>();
        for (String f : split(files)) {
            certs.addAll(org.cameldicomsecure.tls.PemFiles.readCertificates(option, java.nio.file.Path.of(f)));
        }
        return certs;
    }

    /** The CRLs of the files (PEM or DER, comma-separated) {@code files} names; errors name {@code option}. */
    public static List<java.security.cert.X509CRL> crls(String option, String files) {
        List<java.security.cert.X509CRL> crls = new ArrayList<>();
        for (String f : split(files)) {
            crls.addAll(org.cameldicomsecure.tls.PemFiles.readCrls(option, java.nio.file.Path.of(f)));
        }
        return crls;
    }

    /**
     * The constant of {@code type} named by {@code value} (ignoring case and surrounding spaces).
     *
     * @throws IllegalArgumentException "unknown option 'value'; one of [...]"
     */
    public static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown " + option + " '" + value + "'; one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
