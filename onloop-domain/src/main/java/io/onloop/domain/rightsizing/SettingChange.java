package io.onloop.domain.rightsizing;

import java.util.Objects;

/**
 * One setting a recommendation changes, with values written as the platform writes them, so a change
 * plan can use them unchanged: Kubernetes quantities ({@code 250m}, {@code 512Mi}), an EC2 instance type,
 * a Lambda memory size in MB, an EBS volume type.
 *
 * @param setting one of the names below
 */
public record SettingChange(String setting, String current, String recommended) {

    public static final String CPU_REQUEST = "cpu.request";
    public static final String CPU_LIMIT = "cpu.limit";
    public static final String MEMORY_REQUEST = "memory.request";
    public static final String MEMORY_LIMIT = "memory.limit";
    public static final String INSTANCE_TYPE = "instanceType";
    public static final String FUNCTION_MEMORY_MB = "memoryMB";
    public static final String VOLUME_TYPE = "volumeType";
    /** An EBS volume's provisioned IOPS. */
    public static final String IOPS = "iops";
    /** An EBS volume's provisioned throughput in MiB/s. */
    public static final String THROUGHPUT_MIBPS = "throughputMibps";
    /** {@code recommended} is {@code deleted}: e.g. an unattached volume. */
    public static final String EXISTENCE = "existence";

    public SettingChange {
        Objects.requireNonNull(setting, "setting");
        current = Objects.requireNonNullElse(current, "");
        Objects.requireNonNull(recommended, "recommended");
    }
}
