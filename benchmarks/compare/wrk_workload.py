#!/usr/bin/python3
"""W6 and W8 on wrk, the physical limit of the local nginx, in the protocol of the comparison programs.

  /usr/bin/python3 wrk_workload.py W6|W8 [--size N] --url URL [--concurrency N]

W8 is W6 over https (an https URL; wrk speaks TLS and does not check the certificate, so --ca is
accepted and not needed).

wrk runs for a fixed time, not a number of requests: ``wrk -t2 -c<concurrency> -d<N / 20,000> s``
(at least 1 s; 5 s for issue 7's 100,000 requests). Prints ``result workload=W6 system=wrk
requests_per_s=... requests=... duration_s=...``; exits 1 if wrk saw errors or non-2xx answers.
"""

import re
import subprocess
import sys

REQUESTS_PER_SECOND_OF_RUN = 20_000


def main(argv):
    workload, size, url, concurrency = None, 100_000, None, 256
    it = iter(argv)
    for a in it:
        if a == "--size":
            size = int(next(it))
        elif a == "--url":
            url = next(it)
        elif a == "--concurrency":
            concurrency = int(next(it))
        elif a in ("--seed", "--warmup", "--ca"):  # no random delays; wrk needs no warm-up, trusts any certificate
            next(it)
        elif workload is None:
            workload = a
        else:
            workload = None
            break
    if workload is None or url is None:
        print("usage: wrk_workload.py W6|W8 [--size N] --url URL [--concurrency N]", file=sys.stderr)
        return 2
    if workload not in ("W6", "W8"):
        print(f"wrk_workload.py: wrk does not run {workload}", file=sys.stderr)
        return 3
    seconds = max(1, round(size / REQUESTS_PER_SECOND_OF_RUN))
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", url],
                         check=True, capture_output=True, text=True).stdout
    print(out, end="")
    if "Non-2xx" in out or "Socket errors" in out:
        print("wrk_workload.py: wrk saw errors (above)", file=sys.stderr)
        return 1
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    print(f"result workload={workload} system=wrk requests_per_s={rps:.3f} requests={total} concurrency={concurrency} "
          f"duration_s={seconds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
