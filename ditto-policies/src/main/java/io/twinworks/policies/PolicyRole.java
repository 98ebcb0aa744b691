package io.twinworks.policies;

/** The roles a twin's policy grants, one policy entry (and one template file) each. */
public enum PolicyRole {
    /** The Hono connection writing device data. */
    DEVICE("device"),
    /** The analytics service: WRITE only on {@code /features/predictions}. */
    ANALYTICS("analytics"),
    /** The simulation service: WRITE only on {@code /features/simulation}. */
    SIMULATION("simulation"),
    /** Operators: READ all, WRITE desired properties, send commands. */
    OPERATOR("operator"),
    /** Administrators: everything. */
    ADMIN("admin");

    private final String templateName;

    PolicyRole(String templateName) {
        this.templateName = templateName;
    }

    /** The template's file name below {@code policy-templates/}. */
    public String templateFile() {
        return templateName + ".json";
    }

    /** The lower-case name used in plant files ({@code devices}, {@code operators}, ... take the plural). */
    public String templateName() {
        return templateName;
    }
}
