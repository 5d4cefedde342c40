package io.kube4j.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The node subnets of one IPv4 cluster CIDR, and which of them are taken: as kube-controller-manager's
 * {@code cidrset}, the {@code i}-th subnet of size {@code /maskSize} is the {@code i}-th bit.
 * Not thread-safe.
 */
final class CidrSet {
    private final int base;
    private final int clusterMask;
    private final int maskSize;
    private final int count;
    private final BitSet taken = new BitSet();

    /** @param clusterCidr such as {@code 10.244.0.0/16}; {@code maskSize} such as 24, not smaller than its mask */
    CidrSet(String clusterCidr, int maskSize) {
        requireNonNull(clusterCidr, "clusterCidr is null");
        int slash = clusterCidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("clusterCidr must be an IPv4 CIDR such as 10.244.0.0/16: " + clusterCidr);
        }
        this.clusterMask = Integer.parseInt(clusterCidr.substring(slash + 1));
        if (clusterMask < 1 || clusterMask > 30 || maskSize < clusterMask || maskSize > 30 || maskSize - clusterMask > 24) {
            throw new IllegalArgumentException("nodeCidrMaskSize " + maskSize + " does not fit clusterCidr " + clusterCidr
                    + ": it must be between the cluster's mask and 30, at most 24 bits longer");
        }
        this.maskSize = maskSize;
        this.base = address(clusterCidr.substring(0, slash)) & prefixMask(clusterMask);
        this.count = 1 << (maskSize - clusterMask);
    }

    /** How many node subnets there are in all. */
    int size() {
        return count;
    }

    /** Marks {@code cidr} taken; false when it is not one of this set's subnets (another cluster CIDR, another size). */
    boolean occupy(String cidr) {
        Optional<Integer> index = indexOf(cidr);
        index.ifPresent(taken::set);
        return index.isPresent();
    }

    /** Frees {@code cidr} if it is one of this set's subnets. */
    void release(String cidr) {
        indexOf(cidr).ifPresent(taken::clear);
    }

    /** Takes the lowest free subnet; empty when all are taken. */
    Optional<String> allocateNext() {
        int index = taken.nextClearBit(0);
        if (index >= count) {
            return Optional.empty();
        }
        taken.set(index);
        return Optional.of(format(base + (index << (32 - maskSize))) + "/" + maskSize);
    }

    private Optional<Integer> indexOf(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).equals(Integer.toString(maskSize))) {
            return Optional.empty();
        }
        int network;
        try {
            network = address(cidr.substring(0, slash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if ((network & prefixMask(clusterMask)) != base || (network & ~prefixMask(maskSize)) != 0) {
            return Optional.empty();
        }
        return Optional.of((network - base) >>> (32 - maskSize));
    }

    private static int prefixMask(int bits) {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    private static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    private static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }
}
