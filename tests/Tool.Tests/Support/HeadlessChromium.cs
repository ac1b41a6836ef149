using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IclPrune.Tool.Tests.Support;

/// <summary>
/// A headless Chromium (Debian's `chromium`, installed by .ci/run) driven through the DevTools protocol over its
/// local WebSocket: navigate, evaluate JavaScript, capture a screenshot, and collect console errors and uncaught
/// exceptions. Only what the report test needs; everything stays on 127.0.0.1.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    readonly Process _process;
    readonly string _profile;
    readonly ClientWebSocket _socket = new();
    readonly List<JsonNode> _events = [];
    readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    readonly Lock _lock = new();
    Task _receiving = Task.CompletedTask;
    int _nextId;

    HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors and uncaught exceptions seen since navigation, as text.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
                return _events.Select(ErrorText).OfType<string>().ToList();
        }
    }

    public static string? Executable() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> StartAsync(string executable)
    {
        string profile = Directory.CreateTempSubdirectory("icl-chromium-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (string arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                     "--remote-debugging-port=0", "--window-size=1200,1600", $"--user-data-dir={profile}", "about:blank" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        var browser = new HeadlessChromium(process, profile);
        string? endpoint = null;
        while (endpoint is null && await process.StandardError.ReadLineAsync() is { } line)
            if (DevToolsLine().Match(line) is { Success: true } match) endpoint = match.Groups[1].Value;
        if (endpoint is null) throw new InvalidOperationException($"{executable} exited without a DevTools endpoint");
        _ = process.StandardError.ReadToEndAsync();   // keep draining, so the browser never blocks on a full pipe

        var port = new Uri(endpoint).Port;
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        string page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
        await browser._socket.ConnectAsync(new Uri(page), CancellationToken.None);
        browser._receiving = browser.ReceiveAsync();
        foreach (string domain in new[] { "Runtime", "Log", "Page" }) await browser.SendAsync($"{domain}.enable");
        return browser;
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        int before;
        lock (_lock) before = _events.Count;
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        for (int i = 0; i < 300; i++)
        {
            lock (_lock)
                if (_events.Skip(before).Any(e => e["method"]?.GetValue<string>() == "Page.loadEventFired")) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{url} did not finish loading");
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (JSON).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"{expression}: {error.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, bool awaitReply = true)
    {
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_lock)
        {
            id = ++_nextId;
            _pending[id] = done;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        if (!awaitReply) return new JsonObject();
        var reply = await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]!;
    }

    async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var text = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult chunk;
            try
            {
                chunk = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return;   // the browser went away (disposal)
            }
            if (chunk.MessageType == WebSocketMessageType.Close) return;
            text.Write(buffer, 0, chunk.Count);
            if (!chunk.EndOfMessage) continue;
            var node = JsonNode.Parse(text.ToArray())!;
            text.SetLength(0);
            lock (_lock)
            {
                if (node["id"] is { } id && _pending.Remove(id.GetValue<int>(), out var waiting)) waiting.SetResult(node);
                else _events.Add(node);
            }
        }
    }

    static string? ErrorText(JsonNode e) => e["method"]?.GetValue<string>() switch
    {
        "Runtime.exceptionThrown" => "exception: " + e["params"]!["exceptionDetails"]!.ToJsonString(),
        "Runtime.consoleAPICalled" when e["params"]!["type"]!.GetValue<string>() is "error" or "assert" => "console: " + e["params"]!["args"]!.ToJsonString(),
        "Log.entryAdded" when e["params"]!["entry"]!["level"]!.GetValue<string>() == "error" => "log: " + e["params"]!["entry"]!["text"],
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await SendAsync("Browser.close", awaitReply: false);
        }
        catch (WebSocketException)
        {
            // closing anyway below
        }
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _socket.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // the browser may still hold a lock file for a moment; the temp folder is cleaned by the OS
        }
        await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
