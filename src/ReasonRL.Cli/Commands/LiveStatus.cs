// LiveStatus: the live console view of a training run. On a terminal: a Spectre.Console progress bar
// (step n/N, elapsed, remaining time) whose description carries the latest metrics line; when output
// is redirected (files, tests): one plain line every `every` steps and at the end. The run's work
// happens inside Run(...); Report(...) is called from it after each step.
// What it is not: metrics storage (MetricsWriter) — only presentation.
using Spectre.Console;

namespace ReasonRL.Cli.Commands;

internal sealed class LiveStatus
{
    private readonly TextWriter output;
    private readonly int every;
    private ProgressTask? task;

    public LiveStatus(TextWriter output, int every)
    {
        this.output = output;
        this.every = Math.Max(1, every);
    }

    /// <summary>True when the view draws a progress bar (stdout is a terminal and the writer is the console).</summary>
    public bool Interactive => !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);

    /// <summary>Runs <paramref name="work"/> under the view.</summary>
    public T Run<T>(string title, long total, long done, Func<T> work)
    {
        if (!Interactive) return work();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                task = ctx.AddTask(Markup.Escape(title), maxValue: total);
                task.Value = done;
                result = work();
            });
        return result;
    }

    /// <summary>Reports step <paramref name="step"/> of <paramref name="total"/> with a one-line summary.</summary>
    public void Report(long step, long total, string line, bool force = false)
    {
        if (task is not null)
        {
            task.MaxValue = total;
            task.Value = step;
            task.Description = Markup.Escape($"{step}/{total} {line}");
            if (force) AnsiConsole.WriteLine($"{step}/{total} {line}");
            return;
        }
        if (force || step % every == 0 || step == total) output.WriteLine($"step {step}/{total} {line}");
    }

    /// <summary>A warning line (always printed).</summary>
    public void Warn(string message)
    {
        if (task is not null) AnsiConsole.MarkupLine($"[yellow]warning[/] {Markup.Escape(message)}");
        else output.WriteLine("warning: " + message);
    }
}
