package io.twinworks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Map;

/**
 * The "Commands:" list of every help page, one complete sentence per subcommand.
 *
 * <p>Picocli lists a subcommand with the first element of its description array. Our descriptions
 * wrap one sentence over several elements (source line length), so the list showed half sentences
 * ("... and writes"). Here each subcommand is summarised by the first sentence of its whole
 * description instead, so a description can be written any way and the list still reads.
 */
public final class CommandSummaries {

    private CommandSummaries() {
    }

    /** Installs the renderer on the command line and on every subcommand below it. */
    public static void install(CommandLine commandLine) {
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                CommandSummaries::render);
        commandLine.getSubcommands().values().forEach(CommandSummaries::install);
    }

    /**
     * The first sentence of a command's description: its description lines joined with spaces, up to
     * and including the first full stop that ends a sentence (one followed by a space or the end, and not
     * that of an abbreviation such as "e.g.", which would cut the sentence before its example).
     * A header, when a command declares one, wins, as it does in picocli's own list.
     */
    public static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        if (header.length > 0) {
            return String.join(" ", header).strip();
        }
        String text = String.join(" ", spec.usageMessage().description()).strip().replaceAll("\\s+", " ");
        for (int i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
            if ((i == text.length() - 1 || text.charAt(i + 1) == ' ') && !endsWithAbbreviation(text, i + 1)) {
                return text.substring(0, i + 1);
            }
        }
        return text;
    }

    private static final List<String> ABBREVIATIONS = List.of("e.g.", "i.e.", "vs.", "cf.");

    /** Whether {@code text} up to {@code end} ends with an abbreviation (a word of its own), not a sentence. */
    private static boolean endsWithAbbreviation(String text, int end) {
        for (String abbreviation : ABBREVIATIONS) {
            int start = end - abbreviation.length();
            if (start >= 0 && text.startsWith(abbreviation, start) && (start == 0 || !Character.isLetter(text.charAt(start - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static String render(Help help) {
        Map<String, Help> subcommands = help.subcommands();
        if (subcommands.isEmpty()) {
            return "";
        }
        int nameWidth = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
        int width = help.commandSpec().usageMessage().width();
        int nameColumn = nameWidth + 4;
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(nameColumn, 2, Column.Overflow.SPAN),
                new Column(Math.max(20, width - nameColumn), 1, Column.Overflow.WRAP));
        subcommands.forEach((name, sub) -> table.addRowValues(
                help.colorScheme().commandText(name), help.colorScheme().text(summary(sub.commandSpec()))));
        return table.toString();
    }
}
