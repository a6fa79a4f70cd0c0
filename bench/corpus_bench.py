"""Benchmark ``fixer corpus``: records/s, MB/s and peak memory per engine and worker count.

Builds a JSON-lines corpus of the chosen size from clean and damaged Chinese
paragraphs (UTF-8 read as GBK, UTF-8 read as Latin-1, half-width
punctuation), then runs ``fixer corpus`` on it with 1, 2 and all local
workers and with Dask on a LocalCluster of all cores, each --runs times, and
prints one table of medians. Peak memory is the summed resident size of the
command's whole process tree (psutil), or the largest single process from
``getrusage`` when psutil is missing.

    python bench/corpus_bench.py --size 50MB --runs 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SENTENCES = (
    "今天的天气非常好，我们一起去公园散步。",
    "这座城市的交通越来越方便，地铁线路覆盖了大部分地区。",
    "研究人员发现，适量运动可以明显改善睡眠质量。",
    "图书馆新增了一批关于历史和地理的书籍，欢迎读者借阅。",
    "他在会议上介绍了公司今年的发展计划和主要目标。",
    "农民们正在田里收割稻谷，脸上露出了丰收的笑容。",
    "学校组织学生参观科技馆，了解最新的科学成果。",
    "这家餐厅的菜味道不错，价格也比较合理。",
    "专家建议，老年人冬季要注意保暖，预防感冒。",
    "新的环保政策将于下个月正式实施。",
    "记者从有关部门了解到，今年的粮食产量再创新高。",
    "孩子们在操场上踢足球，玩得非常开心。",
    "这部电影讲述了一个普通家庭的奋斗故事。",
    "经过多年的努力，这个小村庄的面貌发生了巨大变化。",
    "市民可以通过手机应用查询公交车的实时位置。",
    "博物馆里展出了许多珍贵的文物和艺术品。",
    "工程师们正在测试一种新型的节能设备。",
    "春节期间，很多人选择回家和亲人团聚。",
    "这条河流经过治理以后，水质得到了明显改善。",
    "志愿者们为社区的老人提供了免费的健康检查。",
    "网络购物已经成为人们日常生活的一部分。",
    "他每天早上坚持跑步，身体越来越健康。",
    "这次展览吸引了来自全国各地的参观者。",
    "科学家正在研究如何更有效地利用太阳能。",
)


def parse_size(text: str) -> int:
    """'50MB', '1GB', '200k' or a plain number of bytes."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([kmg]?)i?b?\s*", text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[match.group(2)]
    return int(float(match.group(1)) * scale)


def damaged_paragraph(rng: random.Random) -> str:
    """A paragraph with one kind of damage (or none) chosen at random."""
    roll = rng.random()
    paragraph = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
    if roll < 0.6:
        return paragraph
    if roll < 0.8:  # UTF-8 read as GBK; undecodable pairs became U+FFFD, as in real crawls
        return paragraph.encode("utf-8").decode("gbk", errors="replace")
    if roll < 0.9:
        return paragraph.encode("utf-8").decode("latin-1")
    return paragraph.replace("，", ",").replace("。", ".")


def build_corpus(path: Path, size: int, seed: int = 1) -> int:
    """Write records until *path* holds at least *size* bytes; return the record count."""
    rng = random.Random(seed)
    count = 0
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < size:
            record = {
                "id": count,
                "url": f"https://example.org/news/{count}",
                "text": damaged_paragraph(rng),
                "lang": "zh",
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            count += 1
    return count


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run *command*; return (seconds, peak resident MB of its process tree, its stderr)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    if psutil is not None:
        root = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for member in tree:
                    with contextlib.suppress(psutil.Error):
                        total += member.memory_info().rss
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(0.05)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    if psutil is None:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return seconds, peak / 1e6, stderr.decode(errors="replace")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        type=parse_size,
        default=parse_size("1GB"),
        help="corpus size, e.g. 50MB or 1GB (default 1GB)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (median)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where to build the corpus (default: a temporary folder)",
    )
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fixer-corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / f"corpus-{args.size}.jsonl"
    if not corpus.exists():
        started = time.perf_counter()
        records = build_corpus(corpus, args.size)
        print(
            f"built {corpus.name}: {records:,} records, "
            f"{corpus.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    with corpus.open("rb") as handle:
        records = sum(1 for _ in handle)
    megabytes = corpus.stat().st_size / 1e6

    cores = os.cpu_count() or 1
    settings: list[tuple[str, int]] = [("local", jobs) for jobs in sorted({1, 2, cores})]
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask: distributed not installed, skipped", file=sys.stderr)
        else:
            settings.append(("dask", cores))

    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    rows = []
    for engine, jobs in settings:
        times, peaks = [], []
        for run in range(args.runs):
            output = workdir / f"out-{engine}-{jobs}.jsonl"
            command = [
                sys.executable,
                "-m",
                "fixer.corpus",
                str(corpus),
                "-o",
                str(output),
                "--engine",
                engine,
                "--jobs",
                str(jobs),
                "--batch-size",
                str(args.batch_size),
            ]
            seconds, peak, messages = run_measured(command, env)
            found = re.search(r"([\d,]+) changed", messages)
            changed = found.group(1) if found else "?"
            times.append(seconds)
            peaks.append(peak)
            print(
                f"{engine} x{jobs} run {run + 1}: {seconds:.2f} s, peak {peak:.0f} MB",
                file=sys.stderr,
            )
            output.unlink(missing_ok=True)
        median = statistics.median(times)
        rows.append(
            (
                engine,
                jobs,
                records / median,
                megabytes / median,
                median,
                statistics.median(peaks),
                changed,
            )
        )

    print(
        f"\ncorpus: {records:,} records, {megabytes:.1f} MB; median of {args.runs} runs; "
        f"{cores} cores; times include process start-up"
    )
    header = (
        f"{'engine':<8}{'workers':>8}{'records/s':>12}{'MB/s':>9}{'seconds':>10}"
        f"{'peak MB':>10}{'changed':>10}"
    )
    print(header)
    print("-" * len(header))
    for engine, jobs, rate, throughput, median, peak, changed in rows:
        print(
            f"{engine:<8}{jobs:>8}{rate:>12,.0f}{throughput:>9.2f}{median:>10.2f}"
            f"{peak:>10.0f}{changed:>10}"
        )


if __name__ == "__main__":
    main()
