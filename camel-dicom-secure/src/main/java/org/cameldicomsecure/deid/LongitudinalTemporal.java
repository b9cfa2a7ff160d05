package org.cameldicomsecure.deid;

/**
 * What happens to dates and times (PS3.15 E.3.6, Retain Longitudinal Temporal Information Options).
 */
public enum LongitudinalTemporal {
    /** Basic Profile: dates and times are removed or replaced; Longitudinal Temporal Information Modified = REMOVED. */
    OFF,
    /** Full Dates Option (113106): dates and times are kept; Longitudinal Temporal Information Modified = UNMODIFIED. */
    FULL,
    /**
     * Modified Dates Option (113107): dates are shifted back by a per-patient number of whole days, keeping intervals;
     * Longitudinal Temporal Information Modified = MODIFIED.
     */
    MODIFIED
}
