package io.twinworks.localstack.ditto.service;

/** {@link TwinApplyCpuHarness#compare} for the harnesses of other packages. */
public final class TwinApplyCpuHarnessAccess {

    private TwinApplyCpuHarnessAccess() {
    }

    /** See {@link TwinApplyCpuHarness#compare}. */
    public static void compare(String what, Runnable a, Runnable b, int calls) {
        TwinApplyCpuHarness.compare(what, a, b, calls);
    }
}
