/**
 * DICOM File-sets on ZIP File Media (PS3.10 §8, PS3.12 Annex V): File IDs, the DICOMDIR (PS3.3 Annex F Basic
 * Directory IOD), writing one File-set as a ZIP, and reading one back safely and within {@link
 * org.cameldicomsecure.media.MediaLimits}.
 *
 * <p>Layering: this package uses only the JDK and {@code org.cameldicomsecure.dicom.*} (LayeringTest).
 */
package org.cameldicomsecure.media;
