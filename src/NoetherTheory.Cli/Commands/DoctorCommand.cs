using System.CommandLine;
using NoetherTheory.Torch.Data;
using NoetherTheory.Torch.Models;
using NoetherTheory.Torch.Optimization;
using NoetherTheory.Torch.Runs;
using NoetherTheory.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>noether doctor [--device cuda]</c>: says what libtorch was loaded and runs each kind of operation the
/// trainer uses once, printing before each, so a failing host shows exactly which step fails.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var device = new DeviceOption();
        var command = new Command("doctor", "Check the libtorch installation and the device, step by step.") { device };
        command.SetAction(parse => Run(context, parse.GetValue(device)!));
        return command;
    }

    private static int Run(CliContext context, string deviceName)
    {
        bool loaded = TorchRuntime.TryLoad(out var info);
        context.Out.WriteLine(info.Trace);
        if (!loaded)
            return ExitCodes.BadInput;
        Device device;
        try
        {
            device = TorchRuntime.ResolveDevice(deviceName);
        }
        catch (TorchUnavailableException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        // In the order the trainer meets them; the device generator is last because the engine no longer uses one (a CUDA
        // run with a device generator segfaulted on an H100 once; which operation crashed was never isolated).
        var steps = new (string Name, Action Probe)[]
        {
            ("tensor arithmetic", () => { using var a = ones(4, 4, device: device); using var b = a.matmul(a); _ = b.sum().cpu().item<float>(); }),
            ("global seed", () => manual_seed(1)),
            ("cpu generator", () => { using var g = new Generator(1, CPU); using var r = randperm(10, generator: g); }),
            ("pinned host → device copy (non-blocking)", () =>
            {
                using var scope = NewDisposeScope();
                var host = arange(16, dtype: ScalarType.Int64);
                var moved = device.type == DeviceType.CPU ? host : host.pin_memory().to(device, non_blocking: true);
                if (moved.sum().cpu().item<long>() != 120) throw new InvalidOperationException("the copied tensor has wrong values");
            }),
            ("uint8 data on the device: index_select, float, normalise", () =>
            {
                using var scope = NewDisposeScope();
                var images = randint(0, 255, [32, 3, 8, 8], dtype: ScalarType.Byte).to(device);
                var x = images.index_select(0, arange(8, dtype: ScalarType.Int64, device: device)).to(ScalarType.Float32).div(255).sub(0.5);
                _ = x.sum().cpu().item<float>();
            }),
            ("conv + batch norm forward/backward", () =>
            {
                using var scope = NewDisposeScope();
                var conv = nn.Conv2d(3, 8, 3, padding: 1).to(device);
                var bn = nn.BatchNorm2d(8).to(device);
                var x = randn(4, 3, 8, 8, device: device);
                var y = bn.forward(conv.forward(x)).square().mean();
                y.backward();
                _ = conv.weight!.grad!.abs().sum().cpu().item<float>();
            }),
            ("precision switch (TF32 on, then strict float32)", () => { TorchRuntime.ConfigurePrecision(device, true); TorchRuntime.ConfigurePrecision(device, false); }),
            ("VGG11-BN training step (heavy ball, per-filter measurement, augmentation)", () => TrainingStepProbe(device)),
            ("device generator (not used by the engine)", () => { using var g = new Generator(1, device); }),
            ("randperm with device generator", () => { using var g = new Generator(1, device); using var r = randperm(10, generator: g, device: device); }),
        };
        foreach (var (name, probe) in steps)
        {
            context.Out.Write($"  {name} … ");
            context.Out.Flush();
            probe();
            context.Out.WriteLine("ok");
            context.Out.Flush();
        }
        return ExitCodes.Ok;
    }

    // Three steps of the trainer's own step on a narrow net: measured, logged and silent, as in a run.
    private static void TrainingStepProbe(Device device)
    {
        using var scope = NewDisposeScope();
        using var pair = SyntheticImages.Create(new SyntheticImageOptions(64, 16, 3, 16, 4, Seed: 1));
        using var data = pair.Train.To(device);
        using var model = new Vgg11Bn(new Vgg11BnOptions(3, 16, 4, 0.125));
        model.to(device);
        using var optimizer = new HeavyBall(model.parameters(), new HeavyBallOptions(0.9, WeightDecay: 5e-4));
        using var generator = new Generator(1, CPU);
        using var step = new TrainingStep(model, optimizer, new TrainingStepOptions(new AugmentationOptions(2, true)), generator);
        var indices = arange(16, dtype: ScalarType.Int64, device: device);
        var logged = step.Run(0, data, indices, 0.01, StepLogging.LogAndMeasure)
            ?? throw new InvalidOperationException("a measured step returned nothing");
        _ = step.Run(1, data, indices, 0.01, StepLogging.None);
        _ = step.Run(2, data, indices, 0.01, StepLogging.Log);
        if (!double.IsFinite(logged.Loss) || logged.Measurement is null || logged.Measurement.Layers.Count == 0)
            throw new InvalidOperationException($"the measured step reported loss {logged.Loss} and no filter measurement");
    }
}
