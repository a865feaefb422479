using System.CommandLine;
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
        var steps = new (string Name, Action Probe)[]
        {
            ("tensor arithmetic", () => { using var a = ones(4, 4, device: device); using var b = a.matmul(a); _ = b.sum().cpu().item<float>(); }),
            ("global seed", () => manual_seed(1)),
            ("cpu generator", () => { using var g = new Generator(1, CPU); using var r = randperm(10, generator: g); }),
            ("device generator", () => { using var g = new Generator(1, device); }),
            ("randperm with device generator", () => { using var g = new Generator(1, device); using var r = randperm(10, generator: g, device: device); }),
            ("rand with device generator", () => { using var g = new Generator(1, device); using var r = rand([8], device: device, generator: g); }),
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
}
