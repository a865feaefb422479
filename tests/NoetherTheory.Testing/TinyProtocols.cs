namespace NoetherTheory.Testing;

/// <summary>Experiment protocols small enough for a test to train in seconds.</summary>
public static class TinyProtocols
{
    /// <summary>Four cells (2 learning rates × free/constrained, one seed) of a few steps on 64 synthetic 1×8×8 images: seconds
    /// per run. Used by the cell benchmark's tests, through the suite and through the CLI.</summary>
    public const string FourCellGrid = """
        name: tiny
        seeds: [1]
        base:
          steps: 4
          batch_size: 8
          log_every: 2
          measure_every: 2
          checkpoint_every: 2
          eval_batch_size: 32
          dataset:
            kind: synthetic
            synthetic: {train_count: 64, test_count: 32, channels: 1, size: 8, classes: 3}
          augmentation: {crop_padding: 1, horizontal_flip: true}
          model: {width: 0.0625, head: gap}
          optimizer: {lr: 0.01, momentum: 0.9, weight_decay: 5.0e-4}
          schedule: {milestones: [2], gamma: 0.1}
        grid:
          constrained: [false, true]
          panels:
            A: {vary: lr, values: [0.01, 0.03]}
        """;
}
