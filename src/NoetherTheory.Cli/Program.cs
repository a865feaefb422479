namespace NoetherTheory.Cli;

internal static class Program
{
    private static int Main(string[] args) => NoetherCli.Run(args, Console.Out, Console.Error);
}
