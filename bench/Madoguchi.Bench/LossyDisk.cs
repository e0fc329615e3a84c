using System.Diagnostics;

namespace Madoguchi.Bench;

/// <summary>
/// A folder on lossyfs (bench/lossyfs): what the app writes stays in the file system's memory until it is synced or
/// written back, and <see cref="CutPowerAsync"/> kills the file system with it, as a power cut would. Needs FUSE and,
/// to build it, gcc and libfuse3's headers (Debian: <c>apt-get install gcc libfuse3-dev fuse3</c>).
/// </summary>
internal sealed class LossyDisk : IAsyncDisposable
{
    private readonly DirectoryInfo work;
    private readonly string program;
    private readonly string[] arguments;
    private Process daemon;

    private LossyDisk(DirectoryInfo work, string program, string[] arguments)
    {
        this.work = work;
        this.program = program;
        this.arguments = arguments;
        daemon = Mount();
    }

    /// <summary>The mounted folder.</summary>
    public string Directory => Path.Combine(work.FullName, "mnt");

    public static async Task<LossyDisk> MountAsync(bool lie)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("madoguchi-lossyfs-");
        work.CreateSubdirectory("disk");
        work.CreateSubdirectory("mnt");
        var program = Path.Combine(work.FullName, "lossyfs");
        var source = Path.Combine(Processes.FindRepo(), "bench", "lossyfs", "lossyfs.c");
        var (exit, output) = await Processes.RunToEndAsync("sh", ["-c", $"gcc -O2 -Wall -o '{program}' '{source}' $(pkg-config --cflags --libs fuse3)"]);
        if (exit != 0)
        {
            work.Delete(recursive: true);
            throw new InvalidOperationException($"lossyfs could not be built (needs gcc, pkg-config and libfuse3-dev):{System.Environment.NewLine}{output}");
        }
        var disk = new LossyDisk(work, program, [.. lie ? ["--lie"] : Array.Empty<string>(), Path.Combine(work.FullName, "disk"), Path.Combine(work.FullName, "mnt")]);
        await disk.WaitMountedAsync();
        return disk;
    }

    /// <summary>The power cut: the file system dies with what was not yet on the disk; then it is mounted again.</summary>
    public async Task CutPowerAsync()
    {
        await UnmountAsync();
        daemon = Mount();
        await WaitMountedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await UnmountAsync();
        try { work.Delete(recursive: true); } catch (IOException) { }
    }

    private Process Mount()
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private async Task UnmountAsync()
    {
        daemon.Kill();
        await daemon.WaitForExitAsync();
        daemon.Dispose();
        await Processes.RunToEndAsync("umount", ["-l", Directory]);
    }

    private async Task WaitMountedAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await File.ReadAllLinesAsync("/proc/self/mountinfo")).Any(l => l.Contains($" {Directory} ", StringComparison.Ordinal) && l.Contains("fuse.lossyfs", StringComparison.Ordinal))) return;
            if (daemon.HasExited) break;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"lossyfs did not mount: {await daemon.StandardError.ReadToEndAsync()}");
    }
}
