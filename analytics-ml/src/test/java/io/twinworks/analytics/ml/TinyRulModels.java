package io.twinworks.analytics.ml;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Properties;

/** Hand-built RUL models for tests of the input encoding: a linear network and the metadata a trained model carries. */
final class TinyRulModels {

    private TinyRulModels() {
    }

    /** A seeded linear network (one identity output) taking {@code inputs} values. */
    static MultiLayerNetwork linearNetwork(int inputs) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(inputs).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        return network;
    }

    /** A model's metadata with the given inputs, their normalisation and summary features (cap 125, version 1). */
    static Properties metadata(String name, int window, String features, String inputs, String means, String scales) {
        Properties metadata = new Properties();
        metadata.setProperty("name", name);
        metadata.setProperty("version", "1");
        metadata.setProperty("inputs", inputs);
        metadata.setProperty("window", String.valueOf(window));
        metadata.setProperty("inputMeans", means);
        metadata.setProperty("inputScales", scales);
        metadata.setProperty("rulCap", "125");
        metadata.setProperty("features", features);
        return metadata;
    }
}
