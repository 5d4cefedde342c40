package io.kube4j.network.userspace;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster IPs made local in a file under the cluster's data directory, so that a proxy
 * started after a crash (kill -9: no close ran) removes the addresses its predecessor left on the
 * interface before it adds its own.
 */
final class RecordedAddresses implements LocalAddresses {
    private static final Logger log = LoggerFactory.getLogger(RecordedAddresses.class);

    private final LocalAddresses delegate;
    private final Path file;
    private final Set<String> added = new LinkedHashSet<>();

    private RecordedAddresses(LocalAddresses delegate, Path file) {
        this.delegate = delegate;
        this.file = file;
    }

    /** Removes what the file records from {@code delegate}, then records from empty. */
    static RecordedAddresses open(LocalAddresses delegate, Path file) {
        requireNonNull(delegate, "delegate is null");
        requireNonNull(file, "file is null");
        RecordedAddresses recorded = new RecordedAddresses(delegate, file);
        List<String> left = List.of();
        try {
            if (Files.exists(file)) {
                left = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            }
        } catch (IOException e) {
            log.warn("userspace proxy: cannot read {}: {}", file, e.getMessage());
        }
        for (String ip : left) {
            try {
                delegate.remove(ip);
            } catch (RuntimeException e) {
                log.warn("userspace proxy: cannot remove {} left by an earlier run: {}", ip, e.getMessage());
            }
        }
        if (!left.isEmpty()) {
            log.info("userspace proxy: removed {} cluster IPs an earlier run left", left.size());
        }
        recorded.save();
        return recorded;
    }

    @Override
    public boolean available() {
        return delegate.available();
    }

    @Override
    public void add(String ip) {
        // Recorded first: a crash between the two leaves an address the next start removes, never one it forgets.
        added.add(ip);
        save();
        delegate.add(ip);
    }

    @Override
    public void remove(String ip) {
        delegate.remove(ip);
        added.remove(ip);
        save();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, added);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("userspace proxy: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
