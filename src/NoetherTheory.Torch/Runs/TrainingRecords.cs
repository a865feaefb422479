namespace NoetherTheory.Torch.Runs;

/// <summary>How to run a <see cref="TrainingConfig"/>.</summary>
/// <param name="OutDir">The run folder (created; holds config.yaml, metrics.csv, layers.csv, filters.csv, checkpoints/, result.yaml).</param>
/// <param name="Device">"cpu", "cuda" or "cuda:&lt;index&gt;".</param>
/// <param name="Resume">Continue from the newest checkpoint in <paramref name="OutDir"/> (the config must be the same).</param>
/// <param name="CheckpointOnCancel">Write a checkpoint when cancelled (false simulates a crash: tests use it).</param>
/// <param name="Log">Receives one line per notable event of data loading (decode progress of a large set, a rebuilt cache);
/// null: silent. May be called from worker threads.</param>
public sealed record TrainingRunOptions(string OutDir, string Device = "cpu", bool Resume = false, bool CheckpointOnCancel = true,
    Action<string>? Log = null);

/// <summary>Progress at a logged step.</summary>
/// <param name="Step">Steps completed so far (the logged step n is the (n+1)-th).</param>
/// <param name="TotalSteps">Steps of the run.</param>
/// <param name="Epoch">Epoch of the logged step (0-based).</param>
/// <param name="LearningRate">η at that step.</param>
/// <param name="Loss">Mean training loss since the previous logged step.</param>
/// <param name="Accuracy">Training accuracy over the same steps.</param>
/// <param name="ImagesPerSecond">Throughput since the previous logged step (wall clock, includes the host transfer).</param>
/// <param name="Eta">Estimated time to the end of training at the current throughput.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, long Epoch, double LearningRate, double Loss, double Accuracy,
    double ImagesPerSecond, TimeSpan Eta);

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Steps">Steps completed.</param>
/// <param name="ResumedFromStep">The checkpoint step the run continued from (null for a fresh run).</param>
/// <param name="TrainLoss">Mean training loss over the last logged interval.</param>
/// <param name="TrainAccuracy">Training accuracy over the last logged interval.</param>
/// <param name="TestLoss">Mean loss on the test split (evaluation mode).</param>
/// <param name="TestAccuracy">Accuracy on the test split.</param>
/// <param name="Device">The device trained on.</param>
/// <param name="WallTime">Wall time of this invocation (not of earlier, resumed-from invocations).</param>
/// <param name="NonFinite">With <see cref="NonFiniteAction.Flag"/>: the first non-finite loss, gradient or measured value
/// (null: none).</param>
/// <param name="AlreadyComplete">True when the run had finished before this invocation (a resume of a finished run reads
/// result.yaml and changes nothing).</param>
public sealed record TrainingResult(string RunDirectory, long Steps, long? ResumedFromStep, double TrainLoss, double TrainAccuracy,
    double TestLoss, double TestAccuracy, string Device, TimeSpan WallTime, NonFiniteValue? NonFinite = null, bool AlreadyComplete = false);
