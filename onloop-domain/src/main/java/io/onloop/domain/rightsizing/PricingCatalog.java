package io.onloop.domain.rightsizing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The prices recommendations are costed with: a per vCPU-hour and per GiB-hour price for containers, EC2
 * instance types with their size, Lambda and EBS prices.
 * <p>
 * The defaults ship as a CSV resource ({@code pricing-catalog.csv} beside this class: on-demand list prices,
 * us-east-1, with their sources and date in its header) rather than as Java constants, because prices are data:
 * they change without the code changing, and a recommendation source's price file overrides them in the very
 * same format ({@link #withOverrides}), so one parser reads both and the table stays one readable file. A
 * tenant's own prices (kept in the database) replace single prices by key on top ({@link #withPrices}).
 * Immutable; {@code withOverrides} returns a new catalog.
 */
public final class PricingCatalog {

    /** Hours in a month as AWS bills them (365 × 24 / 12). */
    public static final double HOURS_PER_MONTH = 730;
    public static final String X86_64 = "x86_64";
    public static final String ARM64 = "arm64";

    /** An EC2 instance type: {@code hourlyPrice} on demand. */
    public record InstanceType(String name, int vcpus, double memoryGib, String architecture, double hourlyPrice) {

        /** {@code m6i} for {@code m6i.large}. */
        public String family() {
            return name.substring(0, name.indexOf('.'));
        }

        /** T-family instances run on CPU credits: their vCPUs are not all there all the time. */
        public boolean burstable() {
            return family().startsWith("t");
        }

        public double monthlyPrice() {
            return hourlyPrice * HOURS_PER_MONTH;
        }
    }

    private static final Set<String> CONTAINER_KEYS = Set.of("vcpu-hour", "gib-hour");
    private static final Set<String> LAMBDA_KEYS = Set.of("gb-second-x86_64", "gb-second-arm64", "request");
    private static final Set<String> EBS_KEYS = Set.of("gp2-gb-month", "gp3-gb-month", "gp3-iops-month",
            "gp3-throughput-month", "io1-gb-month", "io1-iops-month", "io2-gb-month", "io2-iops-month",
            "st1-gb-month", "sc1-gb-month", "snapshot-gb-month");

    private static final PricingCatalog DEFAULTS = loadDefaults();

    private final String currency;
    private final Map<String, Double> prices;            // "section/key" -> price, for container, lambda, ebs
    private final Map<String, InstanceType> instanceTypes;

    private PricingCatalog(String currency, Map<String, Double> prices, Map<String, InstanceType> instanceTypes) {
        this.currency = currency;
        this.prices = Map.copyOf(prices);
        this.instanceTypes = Map.copyOf(instanceTypes);
    }

    /** The catalog onloop ships. */
    public static PricingCatalog defaults() {
        return DEFAULTS;
    }

    /**
     * This catalog with some prices replaced or instance types added, from lines in the catalog's own CSV
     * format (see the shipped file's header). A known instance type may be given a new price alone
     * ({@code ec2,m5.large,0.09}); a new one needs its vCPUs, memory and architecture.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it; nothing is applied then
     */
    public PricingCatalog withOverrides(String csv) {
        Map<String, Double> p = new HashMap<>(prices);
        Map<String, InstanceType> types = new LinkedHashMap<>(instanceTypes);
        String cur = parse(csv, p, types, currency);
        return new PricingCatalog(cur, p, types);
    }

    public String currency() {
        return currency;
    }

    /**
     * Every price by its key, in key order: {@code container/vcpu-hour}, {@code ec2/m5.large} (per hour),
     * {@code lambda/request}, {@code ebs/gp3-gb-month}, ... — section and name as in the CSV. These keys are
     * what a tenant overrides ({@link #withPrices}).
     */
    public SortedMap<String, Double> prices() {
        SortedMap<String, Double> all = new TreeMap<>(prices);
        instanceTypes.values().forEach(t -> all.put("ec2/" + t.name(), t.hourlyPrice()));
        return Collections.unmodifiableSortedMap(all);
    }

    /**
     * This catalog with the prices of some keys (as in {@link #prices()}) replaced. A key this catalog does not
     * have is skipped: an override kept for an instance type a later catalog dropped must not stop the scans.
     *
     * @throws IllegalArgumentException for a price that is not {@link #validPrice valid}
     */
    public PricingCatalog withPrices(Map<String, Double> overrides) {
        Map<String, Double> p = new HashMap<>(prices);
        Map<String, InstanceType> types = new LinkedHashMap<>(instanceTypes);
        overrides.forEach((key, price) -> {
            if (!validPrice(price)) {
                throw new IllegalArgumentException("price of " + key + " must be " + VALID_PRICE + ", not " + price);
            }
            InstanceType type = key.startsWith("ec2/") ? types.get(key.substring(4)) : null;
            if (type != null) {
                types.put(type.name(), new InstanceType(type.name(), type.vcpus(), type.memoryGib(), type.architecture(), price));
            } else if (p.containsKey(key)) {
                p.put(key, price);
            }
        });
        return new PricingCatalog(currency, p, types);
    }

    /**
     * The dearest price per unit onloop takes: far above any cloud's (the largest EC2 instance is a few hundred an
     * hour), low enough that a fleet's monthly cost stays a readable number, never 1e300 or Infinity.
     */
    public static final double MAX_PRICE = 1_000_000;
    /** What a price must be, for messages. */
    public static final String VALID_PRICE = "a number from 0 to 1000000";

    /** Prices are not negative (zero is a price: a free tier, a sunk cost) and at most {@link #MAX_PRICE}. */
    public static boolean validPrice(double price) {
        return price >= 0 && price <= MAX_PRICE;
    }

    public double containerVcpuHour() {
        return prices.get("container/vcpu-hour");
    }

    public double containerGibHour() {
        return prices.get("container/gib-hour");
    }

    /** The monthly price of a container (or pod) with these requests. */
    public double containerMonthly(double cpuCores, double memoryBytes) {
        return (cpuCores * containerVcpuHour() + memoryBytes / (1024.0 * 1024 * 1024) * containerGibHour()) * HOURS_PER_MONTH;
    }

    public Optional<InstanceType> instanceType(String name) {
        return Optional.ofNullable(instanceTypes.get(name));
    }

    /** All instance types, cheapest first. */
    public List<InstanceType> instanceTypes() {
        return instanceTypes.values().stream()
                .sorted(Comparator.comparingDouble(InstanceType::hourlyPrice).thenComparing(InstanceType::name)).toList();
    }

    /** Per GB-second of Lambda duration; {@code architecture} is {@code x86_64} or {@code arm64}. */
    public double lambdaGbSecond(String architecture) {
        Double price = prices.get("lambda/gb-second-" + architecture);
        if (price == null) {
            throw new IllegalArgumentException("no Lambda price for architecture '" + architecture + "' (x86_64 or arm64)");
        }
        return price;
    }

    public double lambdaRequest() {
        return prices.get("lambda/request");
    }

    /** The EBS price of {@code key}, e.g. {@code gp3-gb-month}. */
    public double ebs(String key) {
        Double price = prices.get("ebs/" + key);
        if (price == null) {
            throw new IllegalArgumentException("no EBS price '" + key + "'");
        }
        return price;
    }

    /** Whether there is a per GB-month price for this volume type. */
    public boolean knowsVolumeType(String volumeType) {
        return prices.containsKey("ebs/" + volumeType + "-gb-month");
    }

    private static PricingCatalog loadDefaults() {
        try (InputStream in = PricingCatalog.class.getResourceAsStream("pricing-catalog.csv")) {
            if (in == null) {
                throw new IllegalStateException("pricing-catalog.csv is missing from the classpath");
            }
            Map<String, Double> p = new HashMap<>();
            Map<String, InstanceType> types = new LinkedHashMap<>();
            String cur = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), p, types, null);
            for (String key : CONTAINER_KEYS) {
                require(p, "container/" + key);
            }
            for (String key : LAMBDA_KEYS) {
                require(p, "lambda/" + key);
            }
            for (String key : EBS_KEYS) {
                require(p, "ebs/" + key);
            }
            if (cur == null) {
                throw new IllegalStateException("the shipped catalog has no currency");
            }
            return new PricingCatalog(cur, p, types);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(Map<String, Double> p, String key) {
        if (!p.containsKey(key)) {
            throw new IllegalStateException("the shipped catalog lacks " + key);
        }
    }

    /** Reads CSV lines into {@code p} and {@code types}; returns the currency. Blank lines and {@code #} comments are skipped. */
    private static String parse(String csv, Map<String, Double> p, Map<String, InstanceType> types, String currency) {
        String[] lines = csv.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (n + 1) + " '" + line + "': ";
            String[] f = line.split(",", -1);
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
            }
            switch (f[0]) {
                case "currency" -> {
                    if (f.length != 2 || !f[1].matches("[A-Z]{3}")) {
                        throw new IllegalArgumentException(where + "currency takes one ISO 4217 code, e.g. currency,EUR");
                    }
                    currency = f[1];
                }
                case "container" -> p.put(keyed(where, f, CONTAINER_KEYS), price(where, f));
                case "lambda" -> p.put(keyed(where, f, LAMBDA_KEYS), price(where, f));
                case "ebs" -> p.put(keyed(where, f, EBS_KEYS), price(where, f));
                case "ec2" -> instanceType(where, f, types);
                default -> throw new IllegalArgumentException(where + "unknown section '" + f[0]
                        + "' (expected currency, container, ec2, lambda or ebs)");
            }
        }
        return currency;
    }

    private static String keyed(String where, String[] f, Set<String> keys) {
        if (f.length != 3) {
            throw new IllegalArgumentException(where + "expected 3 fields (" + f[0] + ",KEY,PRICE), got " + f.length);
        }
        if (!keys.contains(f[1])) {
            throw new IllegalArgumentException(where + "unknown " + f[0] + " price '" + f[1] + "' (expected one of "
                    + keys.stream().sorted().toList() + ")");
        }
        return f[0] + "/" + f[1];
    }

    private static void instanceType(String where, String[] f, Map<String, InstanceType> types) {
        if (f.length != 3 && f.length != 6) {
            throw new IllegalArgumentException(where + "expected ec2,TYPE,PRICE or ec2,TYPE,PRICE,VCPUS,MEMORY_GIB,ARCHITECTURE, got "
                    + f.length + " fields");
        }
        String name = f[1];
        if (!name.matches("[a-z][a-z0-9-]*\\.[a-z0-9]+")) {
            throw new IllegalArgumentException(where + "'" + name + "' is not an instance type name like m6i.large");
        }
        double price = price(where, f);
        InstanceType known = types.get(name);
        if (f.length == 3) {
            if (known == null) {
                throw new IllegalArgumentException(where + "unknown instance type '" + name
                        + "': a new type needs its vCPUs, memory in GiB and architecture");
            }
            types.put(name, new InstanceType(name, known.vcpus(), known.memoryGib(), known.architecture(), price));
            return;
        }
        int vcpus;
        double memory;
        try {
            vcpus = Integer.parseInt(f[3]);
            memory = Double.parseDouble(f[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "vCPUs must be a whole number and memory a number of GiB");
        }
        if (vcpus <= 0 || !(memory > 0) || Double.isInfinite(memory)) {
            throw new IllegalArgumentException(where + "vCPUs and memory must be positive");
        }
        if (!f[5].equals(X86_64) && !f[5].equals(ARM64)) {
            throw new IllegalArgumentException(where + "architecture must be x86_64 or arm64, not '" + f[5] + "'");
        }
        types.put(name, new InstanceType(name, vcpus, memory, f[5], price));
    }

    private static double price(String where, String[] f) {
        double price;
        try {
            price = Double.parseDouble(f[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "price '" + f[2] + "' is not a number");
        }
        if (!validPrice(price)) {
            throw new IllegalArgumentException(where + "price must be " + VALID_PRICE + ", not " + f[2]);
        }
        return price;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PricingCatalog[%s, %d instance types]", currency, instanceTypes.size());
    }
}
