package io.twinworks.localstack.hono.registry.provisioning;

/**
 * What loading a provisioning file changed, per resource kind.
 *
 * @param tenants     tenants created/updated/unchanged
 * @param devices     devices created/updated/unchanged
 * @param credentials credentials sets (one per device) created/updated/unchanged
 */
public record ProvisioningReport(Counts tenants, Counts devices, Counts credentials) {

    /** The report of loading nothing. */
    public static final ProvisioningReport EMPTY =
            new ProvisioningReport(new Counts(0, 0, 0), new Counts(0, 0, 0), new Counts(0, 0, 0));

    /**
     * Counts of one resource kind.
     *
     * @param created   entries that did not exist
     * @param updated   entries that existed with other content
     * @param unchanged entries that existed with the same content
     */
    public record Counts(int created, int updated, int unchanged) {
    }

    /** Entries created, all kinds together. */
    public int created() {
        return tenants.created() + devices.created() + credentials.created();
    }

    /** Entries updated, all kinds together. */
    public int updated() {
        return tenants.updated() + devices.updated() + credentials.updated();
    }

    /** Entries left unchanged, all kinds together. */
    public int unchanged() {
        return tenants.unchanged() + devices.unchanged() + credentials.unchanged();
    }

    /** One line for the console, e.g. {@code tenants 1 created ...}. */
    public String summary() {
        return "tenants " + line(tenants) + "; devices " + line(devices) + "; credentials " + line(credentials);
    }

    private static String line(Counts counts) {
        return counts.created() + " created, " + counts.updated() + " updated, " + counts.unchanged() + " unchanged";
    }
}
