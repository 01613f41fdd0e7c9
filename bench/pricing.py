"""Pricing speed.

    .venv/bin/python bench/pricing.py [--seconds 6] [--connections 4]

1. A pure estimate (parse the inputs, price them) for each calculator, in process: median over
   5,000 runs. Goal < 100 µs.
2. The calculator fragment (what htmx fetches as the inputs change) through uvicorn (as `make run` starts it) with production
   settings, against the bare view /healthz/. Goal >= 30 %.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, serve, wrk  # bench/ is on sys.path when run as a script

sys.path.insert(0, str(ROOT))

from studyapp.pricing.calculators import api_gateway, aws_lambda, batch, ecr, fargate, lightsail
from studyapp.pricing.money import parse
from studyapp.pricing.tables import load_table

SCENARIOS = {
    aws_lambda: {"requests": "3000000", "duration_ms": "120", "memory_mb": "1536"},
    fargate: {"tasks": "150", "duration_seconds": "600", "vcpu": "1", "memory_gb": "2", "ephemeral_storage_gb": "30"},
    api_gateway: {"api_type": "rest", "requests": "5000000", "response_size_kb": "3"},
    ecr: {"storage_gb": "50", "internet_egress_gb": "500"},
    batch: {"compute": "spot", "instance_type": "c5.2xlarge", "instances": "4", "hours": "100", "spot_hourly": "0.12"},
    lightsail: {"bundle": "small", "hours": "300", "snapshot_gb": "40"},
}


def pure_part() -> None:
    root = ROOT / "content" / "pricing"
    print("pure estimate (parse + price), median of 5,000 runs:")
    for module, raw in SCENARIOS.items():
        table = load_table(root, module.SERVICE)
        samples = []
        for _ in range(5_000):
            start = time.perf_counter()
            module.estimate(parse(module.FIELDS, raw, check=module.check), table)
            samples.append(time.perf_counter() - start)
        print(f"  {module.SERVICE:12} {statistics.median(samples) * 1e6:6.1f} µs (goal < 100 µs)")


def http_part(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp())
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    query = "requests=3000000&duration_ms=120&memory_mb=1536"
    with serve(env) as base:
        bare1 = wrk(base + "/healthz/", args.seconds, args.connections)
        fragment = wrk(f"{base}/pricing/lambda/?{query}", args.seconds, args.connections, headers=["HX-Request: true"])
        page = wrk(f"{base}/pricing/lambda/?{query}", args.seconds, args.connections)
        bare2 = wrk(base + "/healthz/", args.seconds, args.connections)
    bare = (bare1 + bare2) / 2
    print(f"uvicorn as `make run` starts it, 1 process, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"  bare view /healthz/            {bare:8.1f} req/s")
    print(f"  calculator fragment (htmx)     {fragment:8.1f} req/s  {fragment / bare:5.0%} of bare (goal >= 30%)")
    print(f"  calculator page                {page:8.1f} req/s  {page / bare:5.0%} of bare")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    pure_part()
    http_part(args)


if __name__ == "__main__":
    main()
