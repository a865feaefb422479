using TorchSharp;
using static TorchSharp.torch;

namespace NoetherTheory.Torch.Runtime;

/// <summary>Moves host (CPU) random draws to the training device without waiting for the device.</summary>
internal static class HostDraws
{
    /// <summary><paramref name="host"/> itself on the CPU; elsewhere a pinned copy sent with a non-blocking transfer, so the
    /// host never waits for queued device work (a pageable copy would synchronise the stream every step). The pinned block
    /// stays reserved until the copy has run (libtorch's caching host allocator records the transfer).</summary>
    public static Tensor ToDeviceWithoutSync(this Tensor host, Device device) =>
        device.type == DeviceType.CPU ? host : host.pin_memory().to(device, non_blocking: true);
}
