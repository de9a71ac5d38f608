"""What the CPython benchmark programs share: CPU clocks, the output format, medians, option parsing.

The format is that of the Java side's BenchmarkReport: lines starting with '#' are comments; the others
are ``<warmup|run|median> <workload> <i>/<n>`` followed by key=value figures, the headline first.
"""

import asyncio
import json
import os
import platform
import sys
import time


class CpuClock:
    """CPU time from creation to stop(): of this thread (it runs the event loop) and of the process."""

    def __init__(self):
        self.loop0 = time.thread_time()
        self.process0 = time.process_time()

    def stop(self):
        return {"loop_cpu_ms": (time.thread_time() - self.loop0) * 1e3,
                "process_cpu_ms": (time.process_time() - self.process0) * 1e3}


def check(ok, message):
    if not ok:
        raise AssertionError(message)


def num(v):
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.1f}"


def format_figures(figures):
    return " ".join(f"{k}={num(v)}" for k, v in figures.items())


def parse_figures(line):
    return {k: float(v) for k, v in (tok.split("=", 1) for tok in line.split() if "=" in tok)}


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def run_workload(workload, run_once, warmups, reps, out):
    """Runs run_once() `warmups` times unmeasured and `reps` times measured, printing each run and the medians."""
    for i in range(1, warmups + 1):
        print(f"warmup {workload} {i}/{warmups} {format_figures(run_once())}", file=out, flush=True)
    runs = []
    for i in range(1, reps + 1):
        figures = run_once()
        runs.append(figures)
        print(f"run {workload} {i}/{reps} {format_figures(figures)}", file=out, flush=True)
    medians = {k: median([r[k] for r in runs]) for k in runs[0]}
    headline = next(iter(runs[0]))
    values = [r[headline] for r in runs]
    print(f"median {workload} {reps}/{reps} {format_figures(medians)} min={num(min(values))} max={num(max(values))}",
          file=out, flush=True)
    return {"headline": headline, "median": medians, "runs": runs}


def loop_name():
    loop = asyncio.new_event_loop()
    try:
        return type(loop).__name__
    finally:
        loop.close()


def int_option(program, usage, argv, i, option, minimum):
    """The integer value of `option` at argv[i] (underscores allowed); exits with status 2 if it is bad."""
    if i >= len(argv):
        usage_error(program, usage, f"{option} needs a value")
    try:
        v = int(argv[i].replace("_", ""))
    except ValueError:
        v = None
    if v is None or v < minimum:
        usage_error(program, usage, f"{option} must be an integer >= {minimum}, got '{argv[i]}'")
    return v


def parse_options(program, usage, argv, defaults, minimum, groups):
    """The command line of a bench program as a dict: `defaults` (a dict of option name -> value, without the
    dashes) overridden by the integer options named in `minimum` (option -> least value), "workloads" the
    workloads named (a name of `groups` adds that group's list; none named: groups["all"]), "json" whether
    --json was given. Prints `usage` for -h; exits with status 2 on a bad argument."""
    args = dict(defaults, workloads=[], json=False)
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in groups:
            args["workloads"] += groups[a]
        elif a in minimum:
            i += 1
            args[a[2:]] = int_option(program, usage, argv, i, a, minimum[a])
        elif a == "--json":
            args["json"] = True
        elif a in ("-h", "--help"):
            print(usage)
            sys.exit(0)
        else:
            usage_error(program, usage, f"unknown argument '{a}'")
        i += 1
    if not args["workloads"]:
        args["workloads"] = list(groups["all"])
    return args


def usage_error(program, usage, message):
    print(f"{program}: {message}\n{usage}", file=sys.stderr)
    sys.exit(2)


def report(title, workloads, run_workload_fn, as_json):
    """Prints the header, runs every workload with run_workload_fn(workload, out), then the JSON if asked."""
    out = sys.stderr if as_json else sys.stdout
    print(f"# CPython asyncio {title} | python {platform.python_version()} | "
          f"{platform.python_implementation()} | {os.cpu_count()} cpus | event loop {loop_name()}",
          file=out, flush=True)
    results = {w: run_workload_fn(w, out) for w in workloads}
    if as_json:
        print(json.dumps({"implementation": "asyncio", "python": platform.python_version(),
                          "cpus": os.cpu_count(), "workloads": results}))
