package io.kube4j.network.iptables;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What {@code iptables-save} showed of the tables this mode writes: the nat table's per-service
 * chains (to delete the ones no service needs any more, also after a restart) and which jumps
 * from the built-in chains exist.
 */
record SavedRules(Set<String> perServiceChains, Set<String> jumps) {

    static SavedRules parse(String saved) {
        Set<String> chains = new LinkedHashSet<>();
        Set<String> jumps = new HashSet<>();
        String table = "";
        for (String line : saved.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).strip();
            } else if (line.startsWith(":") && table.equals("nat")) {
                String chain = line.substring(1, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length());
                if (ChainNames.isPerService(chain)) {
                    chains.add(chain);
                }
            } else if (line.startsWith("-A ")) {
                int end = line.indexOf(' ', 3);
                int target = line.lastIndexOf(" -j ");
                if (end > 0 && target > 0) {
                    String rest = line.substring(target + 4);
                    int space = rest.indexOf(' ');
                    jumps.add(key(table, line.substring(3, end), space < 0 ? rest : rest.substring(0, space)));
                }
            }
        }
        return new SavedRules(Set.copyOf(chains), Set.copyOf(jumps));
    }

    boolean has(IptablesRules.Jump jump) {
        return jumps.contains(key(jump.table(), jump.chain(), jump.target()));
    }

    private static String key(String table, String chain, String target) {
        return table + " " + chain + " " + target;
    }
}
