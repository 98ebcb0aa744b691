package io.twinworks.analytics.offline;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The held-out-like check of a detector on the NAB tuning set (test scope: a measuring tool for whoever
 * changes the detector, not a product feature): <b>leave one category out</b>. For each category the
 * threshold is the one optimised on the <em>other</em> categories; that category's files are then scored
 * at it (standard profile). The categories' raw scores are summed and normalised on the whole corpus'
 * null and perfect scores (all windows), so the figure is comparable with the in-sample score, which
 * optimises one threshold with every category seen. The gap between the two is what choosing the
 * threshold on the data costs; a detector whose threshold transfers between categories keeps it small
 * (NAB's stored numenta results: 73.56 in-sample, 71.81 this way).
 */
final class LeaveOneCategoryOut {

    /** One left-out category: the threshold chosen without it, and its raw score at that threshold. */
    record Category(String name, double threshold, double raw, double rawInSample) {
    }

    /** The in-sample result, the left-out categories in corpus order, and the assembled normalised score. */
    record Result(NabScorer.Result inSample, List<Category> categories, double normalised) {
    }

    private final NabScorer scorer;

    /** @param profile the cost matrix (NAB's standard one for the figures in the README) */
    LeaveOneCategoryOut(NabScorer.Profile profile) {
        this.scorer = new NabScorer(profile);
    }

    /**
     * Scores {@code files} (named {@code <category>/<file>}, see {@link NabEvaluation#category}) both ways.
     *
     * @throws IllegalArgumentException with fewer than two categories (nothing to choose a threshold on)
     */
    Result score(List<NabScorer.ScoredFile> files) {
        Map<String, List<NabScorer.ScoredFile>> byCategory = new LinkedHashMap<>();
        for (NabScorer.ScoredFile file : files) {
            byCategory.computeIfAbsent(NabEvaluation.category(file.name()), c -> new ArrayList<>()).add(file);
        }
        if (byCategory.size() < 2) {
            throw new IllegalArgumentException("leave-one-category-out needs at least two categories, got " + byCategory.keySet());
        }
        NabScorer.Result inSample = scorer.score(files);
        List<Category> categories = new ArrayList<>();
        double raw = 0;
        for (Map.Entry<String, List<NabScorer.ScoredFile>> category : byCategory.entrySet()) {
            List<NabScorer.ScoredFile> others = files.stream().filter(file -> !category.getValue().contains(file)).toList();
            double threshold = scorer.score(others).threshold();
            double categoryRaw = rawAt(category.getValue(), threshold);
            raw += categoryRaw;
            categories.add(new Category(category.getKey(), threshold, categoryRaw, rawAt(category.getValue(), inSample.threshold())));
        }
        double normalised = 100 * (raw - inSample.nullRaw()) / (inSample.perfectRaw() - inSample.nullRaw());
        return new Result(inSample, categories, normalised);
    }

    private double rawAt(List<NabScorer.ScoredFile> files, double threshold) {
        return files.stream().mapToDouble(file -> scorer.fileAt(file, threshold).raw()).sum();
    }

    /** Prints the in-sample score, each category's raw score in-sample and left out, and the assembly. */
    static void print(Result result, PrintWriter out) {
        out.printf(Locale.ROOT, "in-sample %.2f at threshold %.3f%n", result.inSample().normalised(), result.inSample().threshold());
        out.printf(Locale.ROOT, "%-24s %10s %14s %10s%n", "category", "raw in", "threshold out", "raw out");
        for (Category category : result.categories()) {
            out.printf(Locale.ROOT, "%-24s %10.2f %14.3f %10.2f%n", category.name(), category.rawInSample(), category.threshold(), category.raw());
        }
        out.printf(Locale.ROOT, "leave-one-category-out %.2f%n", result.normalised());
        out.flush();
    }
}
